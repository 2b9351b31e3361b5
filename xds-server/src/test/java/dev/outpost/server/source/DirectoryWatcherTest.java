package dev.outpost.server.source;

import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

  /**
   * {@code mv DIR DIR.old}, a pause, {@code mv NEW DIR}: the parent's watch sees the name come back
   * (the periodic check is set far beyond the test's time), the new directory is watched and the
   * old one no longer is.
   */
  @Test
  void aDirectoryReplacedAfterAPauseIsSeenThroughItsParent(@TempDir Path tmp) throws Exception {
    Path root = Files.createDirectory(tmp.resolve("config"));
    Semaphore changes = new Semaphore(0);
    Semaphore replaced = new Semaphore(0);
    DirectoryWatcher.Listener listener =
        new DirectoryWatcher.Listener() {
          @Override
          public void changed() {
            changes.release();
          }

          @Override
          public void replaced(Path nowLeadsTo) {
            replaced.release();
          }
        };
    try (DirectoryWatcher watcher = new DirectoryWatcher(root, Duration.ofHours(1), listener)) {
      Path next = Files.createDirectory(tmp.resolve("next"));
      Files.move(root, tmp.resolve("old"));
      assertTrue(changes.tryAcquire(10, TimeUnit.SECONDS), "the directory going away is a change");
      Thread.sleep(200);
      Files.move(next, root);
      assertTrue(replaced.tryAcquire(10, TimeUnit.SECONDS), "the new directory was not noticed");
      Thread.sleep(200);
      changes.drainPermits();

      Files.writeString(root.resolve("a.yaml"), "kind: Gateway");
      assertTrue(changes.tryAcquire(10, TimeUnit.SECONDS), "an edit in the new directory must be noticed");
      Thread.sleep(200);
      changes.drainPermits();
      Files.writeString(tmp.resolve("old/b.yaml"), "kind: Gateway");
      assertFalse(changes.tryAcquire(500, TimeUnit.MILLISECONDS), "the old directory is not watched any more");
    }
  }

  /** Back-to-back {@code mv DIR DIR.old; mv NEW DIR}, again and again: every swap is seen at once. */
  @Test
  void everyBackToBackSwapIsSeenThroughTheParent(@TempDir Path tmp) throws Exception {
    Path root = Files.createDirectory(tmp.resolve("config"));
    Semaphore replaced = new Semaphore(0);
    DirectoryWatcher.Listener listener =
        new DirectoryWatcher.Listener() {
          @Override
          public void changed() {}

          @Override
          public void replaced(Path nowLeadsTo) {
            replaced.release();
          }
        };
    try (DirectoryWatcher watcher = new DirectoryWatcher(root, Duration.ofHours(1), listener)) {
      for (int i = 0; i < 20; i++) {
        Path next = Files.createDirectory(tmp.resolve("next" + i));
        Files.move(root, tmp.resolve("old" + i));
        Files.move(next, root);
        assertTrue(replaced.tryAcquire(5, TimeUnit.SECONDS), "swap " + i + " was not noticed");
        replaced.drainPermits();
      }
    }
  }
}
