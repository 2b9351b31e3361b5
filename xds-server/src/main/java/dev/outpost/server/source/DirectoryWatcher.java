package dev.outpost.server.source;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports "something changed" for a directory tree. It does not try to say what: the source
 * re-reads the whole directory, which is what makes editors' write-to-temp-then-rename saves and
 * Kubernetes' ConfigMap symlink swaps ({@code ..data} re-pointed in the top directory) work
 * without special cases. New subdirectories are watched as soon as they appear.
 */
final class DirectoryWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DirectoryWatcher.class);

  private final Path root;
  private final WatchService watchService;
  private final Runnable onChange;
  private final Set<Path> watched = new HashSet<>();
  private final Thread thread;

  DirectoryWatcher(Path root, Runnable onChange) throws IOException {
    this.root = root;
    this.watchService = FileSystems.getDefault().newWatchService();
    this.onChange = onChange;
    registerTree();
    this.thread = new Thread(this::run, "outpost-config-watch");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /**
   * Watches every directory of the tree not watched yet. Editors and ConfigMap updates create and
   * delete temporary files and directories while we walk, so an entry that vanishes mid-walk is
   * expected and skipped: the event its removal causes brings us back here anyway.
   */
  private void registerTree() throws IOException {
    Files.walkFileTree(
        root,
        Set.of(FileVisitOption.FOLLOW_LINKS),
        Integer.MAX_VALUE,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
            if (!dir.equals(root) && ConfigDirReader.isHidden(root.relativize(dir).getName(0))) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            if (watched.add(dir)) {
              try {
                dir.register(
                    watchService,
                    StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_DELETE,
                    StandardWatchEventKinds.ENTRY_MODIFY);
              } catch (NoSuchFileException vanished) {
                watched.remove(dir);
              }
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            // Below the root: vanished, unreadable or a symlink loop; skip it. The root itself: fail.
            if (!file.equals(root)) {
              return FileVisitResult.CONTINUE;
            }
            throw e;
          }
        });
  }

  private void run() {
    while (true) {
      WatchKey key;
      try {
        key = watchService.take();
      } catch (InterruptedException | ClosedWatchServiceException e) {
        return;
      }
      key.pollEvents(); // drained; any event (or OVERFLOW) means "re-read everything"
      if (!key.reset()) {
        watched.remove((Path) key.watchable());
      }
      // Nothing may end this thread but close(): a dead watcher would silently stop all reloads.
      try {
        registerTree();
      } catch (IOException | RuntimeException e) {
        LOG.warn("cannot watch new directories under {}: {}", root, e.toString());
      }
      try {
        onChange.run();
      } catch (RuntimeException e) {
        LOG.error("handling a change under {} failed: {}", root, e.toString());
      }
    }
  }

  @Override
  public void close() throws IOException {
    watchService.close();
    thread.interrupt();
  }
}
