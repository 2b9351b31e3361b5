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
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports "something changed" for a directory tree. It does not try to say what: the source
 * re-reads the whole directory, which is what makes editors' write-to-temp-then-rename saves and
 * Kubernetes' ConfigMap symlink swaps ({@code ..data} re-pointed in the top directory) work
 * without special cases. New subdirectories are watched as soon as they appear.
 *
 * <p>The directory is watched by its path, not by what the path led to when watching began. The
 * operating system watches inodes: after {@code mv DIR DIR.old; mv NEW DIR}, or a symlink {@code
 * DIR} re-pointed to a new revision (git-sync), every watch would follow the old directory and no
 * change would ever be seen again. So the watcher also watches the parent directory for the name,
 * and every {@code checkInterval} compares what the path leads to (file key and real path) with
 * what it watches. When they differ it watches the new directory and reports a change; when the
 * path leads nowhere it reports a change too (the source then finds the directory missing and
 * keeps the last good config) and watches for it to come back.
 */
final class DirectoryWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DirectoryWatcher.class);
  static final Duration CHECK_INTERVAL = Duration.ofSeconds(2);

  /** Told about changes; {@link #replaced} when the path leads to another directory than before. */
  interface Listener {
    void changed();

    default void replaced(Path nowLeadsTo) {}
  }

  /** What the watched path leads to: the directory's file key (device, inode) and real path. */
  private record Identity(Object fileKey, Path realPath) {}

  private final Path root;
  private final Optional<Path> parent;
  private final long checkIntervalNanos;
  private final Listener listener;
  private final Map<Path, WatchKey> keys = new HashMap<>();
  private final Thread thread;
  private final WatchService watchService;
  private volatile boolean closed;
  private WatchKey parentKey;
  private Optional<Identity> identity;

  DirectoryWatcher(Path root, Runnable onChange) throws IOException {
    this(root, CHECK_INTERVAL, onChange::run);
  }

  DirectoryWatcher(Path root, Duration checkInterval, Listener listener) throws IOException {
    this.root = root.toAbsolutePath().normalize();
    this.parent = Optional.ofNullable(this.root.getParent());
    this.checkIntervalNanos = checkInterval.toNanos();
    this.listener = listener;
    this.identity = identityOf(this.root);
    if (identity.isEmpty()) {
      throw new IOException(root + " is not a directory");
    }
    this.watchService = FileSystems.getDefault().newWatchService();
    watchParent();
    registerTree();
    this.thread = new Thread(this::run, "outpost-config-watch");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  private static Optional<Identity> identityOf(Path path) {
    try {
      BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
      if (!attrs.isDirectory()) {
        return Optional.empty();
      }
      return Optional.of(new Identity(attrs.fileKey(), path.toRealPath()));
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
  }

  /** The parent tells at once when the name is renamed, replaced or re-pointed (a symlink). */
  private void watchParent() {
    if (parent.isEmpty()) {
      return;
    }
    try {
      parentKey =
          parent
              .get()
              .register(
                  watchService,
                  StandardWatchEventKinds.ENTRY_CREATE,
                  StandardWatchEventKinds.ENTRY_DELETE);
    } catch (IOException | RuntimeException e) {
      // e.g. a parent we may not read: the periodic check still notices a replacement.
      LOG.debug("cannot watch {} for {} being replaced: {}", parent.get(), root.getFileName(), e.toString());
    }
  }

  /**
   * Watches every directory of the tree. Registering a directory watched already is cheap and
   * returns its key; a directory that was replaced under the same path gets a new key, and the old
   * one is cancelled. Editors and ConfigMap updates create and delete temporary files and
   * directories while we walk, so an entry that vanishes mid-walk is expected and skipped: the
   * event its removal causes brings us back here anyway.
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
            try {
              WatchKey key =
                  dir.register(
                      watchService,
                      StandardWatchEventKinds.ENTRY_CREATE,
                      StandardWatchEventKinds.ENTRY_DELETE,
                      StandardWatchEventKinds.ENTRY_MODIFY);
              WatchKey before = keys.put(dir, key);
              if (before != null && before != key) {
                before.cancel();
              }
            } catch (NoSuchFileException vanished) {
              keys.remove(dir);
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
    long lastCheck = System.nanoTime();
    while (!closed) {
      WatchKey key;
      try {
        key = watchService.poll(checkIntervalNanos, TimeUnit.NANOSECONDS);
      } catch (InterruptedException | ClosedWatchServiceException e) {
        return; // close()
      }
      // Nothing may end this thread but close(): a dead watcher would silently stop all reloads.
      try {
        boolean changed = false;
        boolean checkRoot = key == null || System.nanoTime() - lastCheck >= checkIntervalNanos;
        if (key != null) {
          if (key == parentKey) {
            checkRoot |= namesRoot(key);
          } else {
            key.pollEvents(); // drained; any event (or OVERFLOW) means "re-read everything"
            changed = true;
          }
          if (!key.reset()) {
            keys.values().remove(key);
            checkRoot |= root.equals(key.watchable()) || key == parentKey;
          }
        }
        if (checkRoot) {
          lastCheck = System.nanoTime();
          changed |= followRoot();
        }
        if (changed) {
          if (identity.isPresent()) {
            registerQuietly();
          }
          listener.changed();
        }
      } catch (ClosedWatchServiceException e) {
        return; // close()
      } catch (RuntimeException e) {
        LOG.error("handling a change under {} failed: {}", root, e.toString());
      }
    }
  }

  private boolean namesRoot(WatchKey key) {
    for (WatchEvent<?> event : key.pollEvents()) {
      if (event.kind() == StandardWatchEventKinds.OVERFLOW
          || root.getFileName().equals(event.context())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Compares what the path leads to with what is watched; if it changed (replaced, re-pointed,
   * vanished, back), watches afresh and returns true.
   */
  private boolean followRoot() {
    Optional<Identity> now = identityOf(root);
    boolean rootKeyValid = Optional.ofNullable(keys.get(root)).map(WatchKey::isValid).orElse(false);
    if (now.equals(identity) && (rootKeyValid || now.isEmpty())) {
      return false;
    }
    identity = now;
    rewatch();
    now.ifPresent(id -> listener.replaced(id.realPath()));
    return true;
  }

  /**
   * Drops the watches of the tree: they follow directories the path no longer leads to. The watch
   * service and the parent's watch stay, so that the name coming back is still seen (closing the
   * service between {@code mv DIR DIR.old} and {@code mv NEW DIR} would lose that event).
   */
  private void rewatch() {
    keys.values().forEach(WatchKey::cancel);
    keys.clear();
    if (parentKey == null || !parentKey.isValid()) {
      watchParent();
    }
  }

  private void registerQuietly() {
    try {
      registerTree();
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot watch new directories under {}: {}", root, e.toString());
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    watchService.close();
    thread.interrupt();
  }

  @Override
  public String toString() {
    return "DirectoryWatcher[" + root + ", watching " + Objects.toString(identity.orElse(null)) + "]";
  }
}
