package dev.outpost.it.hostile;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writing a case's files. */
final class CaseFiles {
  static final String NAME = "hostile.yaml";

  private CaseFiles() {}

  static HostileCase.FileSetup text(String content) {
    return dir -> Files.writeString(dir.resolve(NAME), content);
  }

  static HostileCase.FileSetup bytes(byte[] content) {
    return dir -> Files.write(dir.resolve(NAME), content);
  }

  /** {@code head}, then {@code count} copies of {@code unit}, then {@code tail}, streamed. */
  static HostileCase.FileSetup repeated(String head, String unit, int count, String tail) {
    return dir -> {
      try (var out = Files.newBufferedWriter(dir.resolve(NAME), StandardCharsets.UTF_8)) {
        out.write(head);
        for (int i = 0; i < count; i++) {
          out.write(unit);
        }
        out.write(tail);
      }
    };
  }

  /** A file of {@code size} bytes that takes no disk: a hole, read back as NUL bytes. */
  static HostileCase.FileSetup sparse(String name, long size) {
    return dir -> {
      try (RandomAccessFile file = new RandomAccessFile(dir.resolve(name).toFile(), "rw")) {
        file.setLength(size);
      }
    };
  }

  static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + out);
    }
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] all = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, all, at, p.length);
      at += p.length;
    }
    return all;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static Path write(Path dir, String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, content);
  }
}
