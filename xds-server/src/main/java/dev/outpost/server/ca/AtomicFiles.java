package dev.outpost.server.ca;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;

/**
 * Writes PEM files whole (a reader never sees half a file) and with their final mode from the
 * start: a private key is {@code 0600} before its first byte is written.
 *
 * <p>The content goes to a temporary file with a random name next to the target, created
 * exclusively ({@code O_CREAT|O_EXCL}: never an existing file, never through a symbolic link) and
 * written through the descriptor that created it, so nobody can put another file in its place
 * between creating and writing; it is flushed to disk and then renamed over the target. Two
 * writers of one target never share a temporary file: the last rename wins, whole.
 */
public final class AtomicFiles {
  private static final SecureRandom RANDOM = new SecureRandom();

  private AtomicFiles() {}

  /** Writes {@code content} to {@code target}, {@code 0600} if {@code secret}, else {@code 0644}. */
  public static void write(Path target, String content, boolean secret) throws IOException {
    byte[] suffix = new byte[8];
    RANDOM.nextBytes(suffix);
    Path temp = target.resolveSibling("." + target.getFileName() + "." + HexFormat.of().formatHex(suffix) + ".tmp");
    boolean posix = target.getFileSystem().supportedFileAttributeViews().contains("posix");
    FileAttribute<?>[] attributes =
        posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--"))}
            : new FileAttribute<?>[0];
    try {
      try (FileChannel channel =
          FileChannel.open(temp, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attributes)) {
        ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.US_ASCII));
        while (bytes.hasRemaining()) {
          channel.write(bytes);
        }
        // On disk before the rename: after a crash the target is the old file or the new one,
        // never an empty one (a CA key lost that way would mean a new root for the whole mesh).
        channel.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
