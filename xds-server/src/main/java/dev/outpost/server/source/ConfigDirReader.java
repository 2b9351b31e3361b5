package dev.outpost.server.source;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedSet;
import dev.outpost.translator.api.InputLimits;
import dev.outpost.translator.api.SourceFile;
import dev.outpost.translator.diag.Diagnostic;
import dev.outpost.translator.model.ConfigSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

/**
 * Reads a config directory: every {@code *.yaml}, {@code *.yml} and {@code *.json} file, in
 * subdirectories too, in path order. Hidden files and directories are skipped, which also skips
 * the {@code ..data} and {@code ..2024_...} entries of a mounted Kubernetes ConfigMap while its
 * visible symlinks are followed. A file that cannot be read, is not UTF-8, is not a regular file
 * (a FIFO, socket or device), is a dangling or looping symbolic link, or is larger than the
 * limits (one file, all files together) becomes a diagnostic naming it; the other files still
 * load. No file is ever read beyond the limit, whatever its size says.
 */
public final class ConfigDirReader {

  /**
   * The files that were read, named relative to the directory; the names of those found but not
   * read (too large, over the directory's budget, not UTF-8, unreadable, a FIFO, a broken link),
   * whose resources a live source keeps rather than deletes; and a diagnostic for each of those.
   */
  public record Result(
      ImmutableList<SourceFile> files, ImmutableSortedSet<String> notRead, ImmutableList<Diagnostic> diagnostics) {

    /** {@code snapshot} with this read's diagnostics added, so they show wherever its own do. */
    public ConfigSnapshot addDiagnosticsTo(ConfigSnapshot snapshot) {
      if (diagnostics.isEmpty()) {
        return snapshot;
      }
      return snapshot.withDiagnostics(
          ImmutableList.<Diagnostic>builder().addAll(diagnostics).addAll(snapshot.diagnostics()).build());
    }
  }

  /**
   * All files of the directory together, in bytes: 64 MiB. Parsed, text takes several times its
   * size in memory, so this keeps a directory within a modest heap; 10,000 typical resources are
   * about 20 MB.
   */
  static final long MAX_DIRECTORY_BYTES = 64L * 1024 * 1024;

  private final long maxFileBytes;
  private final long maxDirectoryBytes;

  public ConfigDirReader() {
    this(InputLimits.MAX_FILE_BYTES, MAX_DIRECTORY_BYTES);
  }

  /** With other limits, so that tests need not write 64 MiB. */
  ConfigDirReader(long maxFileBytes, long maxDirectoryBytes) {
    this.maxFileBytes = maxFileBytes;
    this.maxDirectoryBytes = maxDirectoryBytes;
  }

  /** A regular file found by the walk, and its size then. */
  private record Candidate(Path path, long size) {}

  public Result read(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException(dir + " is not a directory");
    }
    List<Candidate> candidates = new ArrayList<>();
    Refusals refusals = new Refusals(dir);
    Files.walkFileTree(
        dir,
        EnumSet.of(FileVisitOption.FOLLOW_LINKS),
        Integer.MAX_VALUE,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
            return !d.equals(dir) && isHidden(d) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (isHidden(file)) {
              return FileVisitResult.CONTINUE;
            }
            if (attrs.isSymbolicLink()) {
              // The walk follows links and falls back to the link itself when that fails: a
              // dangling link or a loop. It may have pointed at a directory, so any name counts.
              refusals.add(file, SpecialFiles.brokenLink(file));
            } else if (isConfigFile(file)) {
              if (attrs.isRegularFile()) {
                candidates.add(new Candidate(file, attrs.size()));
              } else {
                refusals.add(file, notRegular(file));
              }
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            if (!isHidden(file)) {
              String why = e instanceof FileSystemLoopException ? "a symbolic link loop" : e.toString();
              refusals.add(file, "cannot be read (" + why + "); fix or remove it");
            }
            return FileVisitResult.CONTINUE;
          }
        });
    candidates.sort(Comparator.comparing(Candidate::path));
    ImmutableList.Builder<SourceFile> files = ImmutableList.builder();
    long used = 0;
    for (Candidate candidate : candidates) {
      Path path = candidate.path();
      if (candidate.size() > maxFileBytes) {
        refusals.add(path, tooLarge(candidate.size()));
        continue;
      }
      if (used + candidate.size() > maxDirectoryBytes) {
        refusals.add(path, overBudget());
        continue;
      }
      byte[] bytes;
      try {
        // Checked again just before opening: a file replaced by a FIFO since the walk would block
        // open() forever.
        if (!Files.readAttributes(path, BasicFileAttributes.class).isRegularFile()) {
          refusals.add(path, notRegular(path));
          continue;
        }
        bytes = readAtMost(path, maxFileBytes + 1); // the size may have changed since the walk
      } catch (AccessDeniedException e) {
        refusals.add(path, "cannot be read: permission denied; make it readable by Outpost's user, or remove it");
        continue;
      } catch (IOException e) {
        refusals.add(path, "cannot be read (" + e + "); fix its permissions or remove it");
        continue;
      }
      if (bytes.length > maxFileBytes) {
        refusals.add(path, tooLarge(bytes.length) + " (it grew while being read)");
        continue;
      }
      used += bytes.length;
      try {
        files.add(new SourceFile(relativeName(dir, path), decodeUtf8(bytes)));
      } catch (CharacterCodingException e) {
        refusals.add(
            path,
            "is not UTF-8 text; Kubernetes manifests must be UTF-8. Re-save it as UTF-8, or move it out of the config directory if it is not a manifest");
      }
    }
    return new Result(files.build(), refusals.names(), refusals.diagnostics());
  }

  /** The files found but not read, each with the error that says why. */
  private static final class Refusals {
    private final Path dir;
    private final ImmutableSortedSet.Builder<String> names = ImmutableSortedSet.naturalOrder();
    private final List<Diagnostic> diagnostics = new ArrayList<>();

    Refusals(Path dir) {
      this.dir = dir;
    }

    void add(Path file, String why) {
      names.add(relativeName(dir, file));
      diagnostics.add(Diagnostic.error(subject(dir, file), "", why));
    }

    ImmutableSortedSet<String> names() {
      return names.build();
    }

    ImmutableList<Diagnostic> diagnostics() {
      return ImmutableList.copyOf(diagnostics);
    }
  }

  /** At most {@code limit} bytes of a file, through a bounded read: never more in memory. */
  private static byte[] readAtMost(Path path, long limit) throws IOException {
    try (InputStream in = Files.newInputStream(path)) {
      return in.readNBytes((int) Math.min(limit, Integer.MAX_VALUE - 8));
    }
  }

  private String tooLarge(long size) {
    return "is "
        + size
        + " bytes, larger than the limit of "
        + maxFileBytes
        + " bytes per file, and is not read; split it into smaller files, or move it out of the config directory if it is not a manifest";
  }

  private String overBudget() {
    return "is not read: with it, the config directory's files would pass the limit of "
        + maxDirectoryBytes
        + " bytes in all (files are read in path order); move files that are not manifests out of the directory";
  }

  /**
   * A FIFO, socket or device file with a config file's name. Never opened: opening a FIFO for
   * reading blocks until a writer comes, and a device may never end.
   */
  private static String notRegular(Path file) {
    return "is " + SpecialFiles.typeOf(file) + ", not a regular file, and is not read; Outpost reads only regular files (and symbolic links to them). Remove it or rename it";
  }

  private static String decodeUtf8(byte[] bytes) throws CharacterCodingException {
    String text =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes))
            .toString();
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  static boolean isHidden(Path path) {
    Path name = path.getFileName();
    return name != null && name.toString().startsWith(".");
  }

  static boolean isConfigFile(Path path) {
    String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
  }

  private static String subject(Path dir, Path file) {
    return "file " + relativeName(dir, file);
  }

  private static String relativeName(Path dir, Path file) {
    return dir.relativize(file).toString().replace('\\', '/');
  }
}
