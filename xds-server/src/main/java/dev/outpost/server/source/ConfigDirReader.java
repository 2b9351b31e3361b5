package dev.outpost.server.source;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.api.SourceFile;
import dev.outpost.translator.diag.Diagnostic;
import dev.outpost.translator.model.ConfigSnapshot;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

/**
 * Reads a config directory: every {@code *.yaml}, {@code *.yml} and {@code *.json} file, in
 * subdirectories too, in path order. Hidden files and directories are skipped, which also skips
 * the {@code ..data} and {@code ..2024_...} entries of a mounted Kubernetes ConfigMap while its
 * visible symlinks are followed. A file that cannot be read, or is not UTF-8, becomes a diagnostic
 * naming it; the other files still load.
 */
public final class ConfigDirReader {

  /** The files that were read, named relative to the directory, and the files that were not. */
  public record Result(ImmutableList<SourceFile> files, ImmutableList<Diagnostic> diagnostics) {

    /** {@code snapshot} with this read's diagnostics added, so they show wherever its own do. */
    public ConfigSnapshot addDiagnosticsTo(ConfigSnapshot snapshot) {
      if (diagnostics.isEmpty()) {
        return snapshot;
      }
      ImmutableList<Diagnostic> all =
          ImmutableList.sortedCopyOf(
              Diagnostic.ORDER,
              ImmutableList.<Diagnostic>builder().addAll(diagnostics).addAll(snapshot.diagnostics()).build());
      return new ConfigSnapshot(
          snapshot.serviceEntries(),
          snapshot.gateways(),
          snapshot.virtualServices(),
          snapshot.destinationRules(),
          snapshot.secrets(),
          snapshot.services(),
          snapshot.endpointSlices(),
          snapshot.pods(),
          snapshot.sidecars(),
          snapshot.meshConfigs(),
          snapshot.authorizationPolicies(),
          snapshot.envoyFilters(),
          all);
    }
  }

  public Result read(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException(dir + " is not a directory");
    }
    List<Path> paths = new ArrayList<>();
    List<Diagnostic> diagnostics = new ArrayList<>();
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
            if (attrs.isRegularFile() && !isHidden(file) && isConfigFile(file)) {
              paths.add(file);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            if (!isHidden(file)) {
              String why = e instanceof FileSystemLoopException ? "a symbolic link loop" : e.toString();
              diagnostics.add(Diagnostic.error(subject(dir, file), "", "cannot be read (" + why + "); fix or remove it"));
            }
            return FileVisitResult.CONTINUE;
          }
        });
    paths.sort(null);
    ImmutableList.Builder<SourceFile> files = ImmutableList.builder();
    for (Path path : paths) {
      String name = relativeName(dir, path);
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(path);
      } catch (IOException e) {
        diagnostics.add(Diagnostic.error("file " + name, "", "cannot be read (" + e + "); fix its permissions or remove it"));
        continue;
      }
      try {
        files.add(new SourceFile(name, decodeUtf8(bytes)));
      } catch (CharacterCodingException e) {
        diagnostics.add(
            Diagnostic.error(
                "file " + name,
                "",
                "is not UTF-8 text; Kubernetes manifests must be UTF-8. Re-save it as UTF-8, or move it out of the config directory if it is not a manifest"));
      }
    }
    return new Result(files.build(), ImmutableList.copyOf(diagnostics));
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
