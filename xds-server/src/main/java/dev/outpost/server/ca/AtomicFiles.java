package dev.outpost.server.ca;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes PEM files whole (a reader never sees half a file) and with their final mode from the
 * start: a private key is {@code 0600} before its first byte is written.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Writes {@code content} to {@code target}, {@code 0600} if {@code secret}, else {@code 0644}. */
  public static void write(Path target, String content, boolean secret) throws IOException {
    Path temp = target.resolveSibling("." + target.getFileName() + ".tmp");
    Files.deleteIfExists(temp);
    boolean posix = target.getFileSystem().supportedFileAttributeViews().contains("posix");
    FileAttribute<?>[] attributes =
        posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--"))}
            : new FileAttribute<?>[0];
    Files.createFile(temp, attributes);
    try {
      Files.writeString(temp, content, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
