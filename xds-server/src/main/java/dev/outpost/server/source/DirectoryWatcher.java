package dev.outpost.server.source;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
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

  private void registerTree() throws IOException {
    try (Stream<Path> dirs = Files.walk(root)) {
      for (Path dir : (Iterable<Path>) dirs.filter(Files::isDirectory)::iterator) {
        if ((dir.equals(root) || !ConfigDirReader.isHidden(root.relativize(dir).getName(0))) && watched.add(dir)) {
          dir.register(
              watchService,
              StandardWatchEventKinds.ENTRY_CREATE,
              StandardWatchEventKinds.ENTRY_DELETE,
              StandardWatchEventKinds.ENTRY_MODIFY);
        }
      }
    }
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
      try {
        registerTree();
      } catch (IOException e) {
        LOG.warn("cannot watch new directories under {}: {}", root, e.toString());
      }
      onChange.run();
    }
  }

  @Override
  public void close() throws IOException {
    watchService.close();
    thread.interrupt();
  }
}
