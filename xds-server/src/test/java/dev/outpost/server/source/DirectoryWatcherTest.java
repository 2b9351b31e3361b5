package dev.outpost.server.source;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryWatcherTest {

  /**
   * Editors and ConfigMap updates create and delete temporary directories while the watcher walks
   * the tree to register new ones. A directory vanishing mid-walk once killed the watch thread,
   * after which no edit was ever noticed again.
   */
  @Test
  void keepsWatchingAfterDirectoriesVanishWhileItWalks(@TempDir Path root) throws Exception {
    Semaphore changes = new Semaphore(0);
    try (DirectoryWatcher watcher = new DirectoryWatcher(root, changes::release)) {
      for (int i = 0; i < 300; i++) {
        Path temp = Files.createDirectories(root.resolve("..data_tmp").resolve("nested" + i));
        Files.writeString(temp.resolve("x.yaml"), "x");
        Files.delete(temp.resolve("x.yaml"));
        Files.delete(temp);
        Files.delete(root.resolve("..data_tmp"));
        Path visible = Files.createDirectories(root.resolve("team" + (i % 3)).resolve("sub"));
        Files.delete(visible);
      }
      assertTrue(changes.tryAcquire(10, TimeUnit.SECONDS), "the churn itself was noticed");
      Thread.sleep(500); // let the watcher work through the backlog of events
      changes.drainPermits();

      Files.writeString(root.resolve("after-churn.yaml"), "kind: Gateway");

      assertTrue(
          changes.tryAcquire(10, TimeUnit.SECONDS), "an edit after the churn must still be noticed");
    }
  }
}
