package dev.outpost.server.source;

import dev.outpost.server.metrics.Metrics;
import dev.outpost.server.xds.SnapshotPublisher;
import dev.outpost.translator.api.SourceFile;
import dev.outpost.translator.diag.Diagnostic;
import dev.outpost.translator.diag.Severity;
import dev.outpost.translator.model.ConfigSnapshot;
import dev.outpost.translator.parse.SnapshotAssembler;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Config from a directory of YAML/JSON files: read, assemble into a {@link ConfigSnapshot} (a
 * resource that turned invalid keeps its last good version, which the assembler does with the
 * previous snapshot), hand it to the publisher; then watch the directory and do it again after
 * each change settles (100 ms quiet, at most 10 s).
 */
public final class FileConfigSource implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FileConfigSource.class);
  static final Duration QUIET = Duration.ofMillis(100);
  static final Duration MAX_DELAY = Duration.ofSeconds(10);

  private final Path dir;
  private final SnapshotPublisher publisher;
  private final Metrics metrics;
  private final ConfigDirReader reader = new ConfigDirReader();
  private final SnapshotAssembler assembler = new SnapshotAssembler();
  private final ScheduledExecutorService scheduler;
  private DirectoryWatcher watcher;
  private ConfigSnapshot previous = ConfigSnapshot.EMPTY;
  private List<Diagnostic> lastDiagnostics; // null until the first load, which is always logged

  public FileConfigSource(Path dir, SnapshotPublisher publisher, Metrics metrics) {
    this.dir = dir;
    this.publisher = publisher;
    this.metrics = metrics;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "outpost-config-reload");
              t.setDaemon(true);
              return t;
            });
  }

  /** Loads the directory once, then watches it. Fails only if the directory cannot be read at all. */
  public void start() throws IOException {
    // Watch before the first read: a change while it runs then causes a reload. The other way
    // round, a file written between the read and the registration stayed unseen until some
    // later, unrelated change.
    Debouncer debouncer = new Debouncer(scheduler, QUIET, MAX_DELAY, this::reloadLogged);
    watcher = new DirectoryWatcher(dir, debouncer::event);
    reload();
    LOG.info("watching {} for changes", dir);
  }

  /** Reads and publishes the directory's current content. */
  public synchronized void reload() throws IOException {
    ConfigDirReader.Result read = reader.read(dir);
    ConfigSnapshot assembled = assembler.assemble(read.files(), previous);
    ConfigSnapshot snapshot = read.addDiagnosticsTo(assembled);
    previous = assembled;
    metrics.configReloaded();
    logIfChanged(snapshot.diagnostics(), read.files());
    publisher.updateConfig(snapshot);
  }

  private void reloadLogged() {
    try {
      reload();
    } catch (IOException | RuntimeException e) {
      LOG.error("reloading {} failed; proxies keep their current config: {}", dir, e.toString());
    }
  }

  // A reload must not repeat every standing warning: log the diagnostics that are new since the
  // last load, and a summary line when the set changed.
  private void logIfChanged(List<Diagnostic> diagnostics, List<SourceFile> files) {
    Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
    diagnostics.forEach(d -> counts.merge(d.severity(), 1, Integer::sum));
    if (diagnostics.equals(lastDiagnostics)) {
      return;
    }
    Set<Diagnostic> before = lastDiagnostics == null ? Set.of() : new HashSet<>(lastDiagnostics);
    lastDiagnostics = List.copyOf(diagnostics);
    LOG.info("loaded {} files from {}: {} errors, {} warnings", files.size(), dir,
        counts.getOrDefault(Severity.ERROR, 0), counts.getOrDefault(Severity.WARNING, 0));
    for (Diagnostic diagnostic : diagnostics) {
      if (before.contains(diagnostic)) {
        continue;
      }
      if (diagnostic.isError()) {
        LOG.error("{}", diagnostic);
      } else {
        LOG.warn("{}", diagnostic);
      }
    }
  }

  @Override
  public void close() throws IOException {
    if (watcher != null) {
      watcher.close();
    }
    scheduler.shutdownNow();
  }
}
