package dev.outpost.server.ca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path tmp;

  @Test
  void aSecretIsOwnerOnlyAPublicFileIsWorldReadableAndNoTemporaryFileIsLeft() throws Exception {
    AtomicFiles.write(tmp.resolve("key.pem"), "KEY", true);
    AtomicFiles.write(tmp.resolve("cert.pem"), "CERT", false);
    assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(tmp.resolve("key.pem")));
    assertEquals("KEY", Files.readString(tmp.resolve("key.pem")));
    assertEquals("CERT", Files.readString(tmp.resolve("cert.pem")));
    try (Stream<Path> files = Files.list(tmp)) {
      assertEquals(Set.of("key.pem", "cert.pem"), Set.copyOf(files.map(p -> p.getFileName().toString()).toList()));
    }
  }

  @Test
  void replacingAWorldReadableFileLeavesAnOwnerOnlyOne() throws Exception {
    Path key = tmp.resolve("key.pem");
    Files.writeString(key, "old");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-rw-rw-"));
    AtomicFiles.write(key, "new", true);
    assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(key));
    assertEquals("new", Files.readString(key));
  }

  @Test
  void aLinkPlantedAtATemporaryNameIsNeverWrittenThrough() throws Exception {
    // The old fixed temporary name: a link there must not receive the key.
    Path victim = Files.writeString(tmp.resolve("attacker-readable"), "");
    Files.createSymbolicLink(tmp.resolve(".key.pem.tmp"), victim);
    AtomicFiles.write(tmp.resolve("key.pem"), "KEY", true);
    assertEquals("", Files.readString(victim));
    assertEquals("KEY", Files.readString(tmp.resolve("key.pem")));
  }

  @Test
  void concurrentWritersOfOneFileEachWriteWholeAndNoneFails() throws Exception {
    Path target = tmp.resolve("key.pem");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Void>> writes = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        String content = ("content-" + i + "\n").repeat(2000);
        Callable<Void> write = () -> {
          AtomicFiles.write(target, content, true);
          return null;
        };
        writes.add(pool.submit(write));
      }
      for (Future<Void> write : writes) {
        write.get(); // throws if any writer failed
      }
    } finally {
      pool.shutdownNow();
    }
    String last = Files.readString(target);
    assertTrue(last.startsWith("content-") && last.equals(last.substring(0, last.indexOf('\n') + 1).repeat(2000)),
        "one writer's whole content");
    try (Stream<Path> files = Files.list(tmp)) {
      assertEquals(List.of("key.pem"), files.map(p -> p.getFileName().toString()).toList());
    }
  }
}
