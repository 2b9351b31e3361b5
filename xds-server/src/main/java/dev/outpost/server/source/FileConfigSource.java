package dev.outpost.server.source;

import dev.outpost.server.metrics.Metrics;
import dev.outpost.server.xds.SnapshotPublisher;
import dev.outpost.translator.api.SourceFile;
import dev.outpost.translator.diag.Diagnostic;
import dev.outpost.translator.diag.Severity;
import dev.outpost.translator.model.ConfigSnapshot;
import dev.outpost.translator.parse.SnapshotAssembler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Config from a directory of YAML/JSON files: read, assemble into a {@link ConfigSnapshot} (a
 * resource that turned invalid keeps its last good version, which the assembler does with the
 * previous snapshot), hand it to the publisher; then watch the directory and do it again after
 * each change settles (100 ms quiet, at most 10 s).
 *
 * <p>Transient states never erase a last good version (DESIGN.md 5.7). A file that turns empty is
 * in flux: a save that truncates first, {@code cmd > file}, a tool writing in steps. Its resources
 * are kept for {@link #IN_FLUX_GRACE} (and so are still there as last good versions if the rewrite
 * is broken); if it is still empty then, a reload this source schedules for itself deletes them. A
 * directory left with no config file at all is in flux the same way. A directory that vanished
 * (moved away, being replaced) is not read at all: the last good config stays, the log, {@code
 * /readyz} and {@code outpost_config_source_available} say so, and it is reloaded when it is back.
 */
public final class FileConfigSource implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FileConfigSource.class);
  static final Duration QUIET = Duration.ofMillis(100);
  static final Duration MAX_DELAY = Duration.ofSeconds(10);
  /** How long the resources of a file that turned empty are kept before they count as deleted. */
  public static final Duration IN_FLUX_GRACE = Duration.ofSeconds(10);

  /**
   * Timings: changes are reloaded after {@code quiet} without another change (at most {@code
   * maxDelay} after the first), empty files keep their resources for {@code inFluxGrace}, and the
   * watcher checks every {@code directoryCheck} whether the directory path still leads to the
   * directory it watches. Tests shorten them.
   */
  public record Settings(Duration quiet, Duration maxDelay, Duration inFluxGrace, Duration directoryCheck) {
    public static final Settings DEFAULT =
        new Settings(QUIET, MAX_DELAY, IN_FLUX_GRACE, DirectoryWatcher.CHECK_INTERVAL);

    public Settings {
      Objects.requireNonNull(quiet, "quiet");
      Objects.requireNonNull(maxDelay, "maxDelay");
      Objects.requireNonNull(inFluxGrace, "inFluxGrace");
      Objects.requireNonNull(directoryCheck, "directoryCheck");
    }
  }

  private final Path dir;
  private final SnapshotPublisher publisher;
  private final Metrics metrics;
  private final ConfigDirStatus status;
  private final Settings settings;
  private final Clock clock;
  private final ConfigDirReader reader = new ConfigDirReader();
  private final SnapshotAssembler assembler = new SnapshotAssembler();
  private final ScheduledExecutorService scheduler;
  private DirectoryWatcher watcher;
  private ConfigSnapshot previous = ConfigSnapshot.EMPTY;
  private List<Diagnostic> lastDiagnostics; // null until the first load, which is always logged
  private Set<String> lastFiles = Set.of();
  /** Files seen empty (or gone with the whole directory's content), since when. */
  private final Map<String, Instant> inFluxSince = new HashMap<>();
  private Set<String> lastInFlux = Set.of();
  private final Set<Instant> scheduledExpiries = new HashSet<>();

  public FileConfigSource(Path dir, SnapshotPublisher publisher, Metrics metrics) {
    this(dir, publisher, metrics, new ConfigDirStatus(dir), Settings.DEFAULT);
  }

  /**
   * With the status that {@code /readyz} reports (pass the same object to the server's {@code
   * ServingOptions}) and chosen timings.
   */
  public FileConfigSource(
      Path dir, SnapshotPublisher publisher, Metrics metrics, ConfigDirStatus status, Settings settings) {
    this(dir, publisher, metrics, status, settings, Clock.systemUTC());
  }

  FileConfigSource(
      Path dir, SnapshotPublisher publisher, Metrics metrics, ConfigDirStatus status, Settings settings, Clock clock) {
    this.dir = dir;
    this.publisher = publisher;
    this.metrics = metrics;
    this.status = status;
    this.settings = settings;
    this.clock = clock;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "outpost-config-reload");
              t.setDaemon(true);
              return t;
            });
    metrics.addSection(status);
  }

  public ConfigDirStatus status() {
    return status;
  }

  /** Loads the directory once, then watches it. Fails only if the directory cannot be read at all. */
  public void start() throws IOException {
    // Watch before the first read: a change while it runs then causes a reload. The other way
    // round, a file written between the read and the registration stayed unseen until some
    // later, unrelated change.
    Debouncer debouncer = new Debouncer(scheduler, settings.quiet(), settings.maxDelay(), this::reloadLogged);
    watcher =
        new DirectoryWatcher(
            dir,
            settings.directoryCheck(),
            new DirectoryWatcher.Listener() {
              @Override
              public void changed() {
                debouncer.event();
              }

              @Override
              public void replaced(Path nowLeadsTo) {
                status.replaced();
                LOG.info("config directory {} was replaced (it now leads to {}): watching the new one and reloading", dir, nowLeadsTo);
              }
            });
    reload();
    LOG.info("watching {} for changes", dir);
  }

  /**
   * Reads and publishes the directory's current content. A missing directory is not read: the last
   * good config stays in effect (a vanished directory never means "everything was deleted").
   */
  public synchronized void reload() throws IOException {
    if (!Files.isDirectory(dir)) {
      if (lastDiagnostics == null) {
        throw new IOException(dir + " is not a directory");
      }
      directoryMissing();
      return;
    }
    ConfigDirReader.Result read;
    try {
      read = reader.read(dir);
    } catch (IOException e) {
      if (!Files.isDirectory(dir) && lastDiagnostics != null) {
        directoryMissing(); // vanished while it was read
        return;
      }
      throw e;
    }
    if (status.markPresent()) {
      LOG.info("config directory {} is back; reloading it", dir);
    }
    Instant now = clock.instant();
    // Files found but not read (too large, not UTF-8, a FIFO ...) keep their last good resources
    // like a file with a syntax error: a file cut inside a character is one of these.
    Set<String> unreadable = read.notRead();
    Map<String, Instant> inFlux = filesInFlux(read.files(), unreadable, now);
    ConfigSnapshot assembled = assembler.assemble(read.files(), previous, inFlux, unreadable);
    ConfigSnapshot snapshot = read.addDiagnosticsTo(assembled);
    previous = assembled;
    metrics.configReloaded();
    status.loaded(now, inFlux.size());
    logIfChanged(snapshot.diagnostics(), read.files());
    publisher.updateConfig(snapshot);
  }

  private void directoryMissing() {
    if (status.markMissing(clock.instant())) {
      LOG.warn(
          "config directory {} is missing (moved, deleted or being replaced); serving the last good config,"
              + " loaded at {}, until it is back",
          dir,
          status.lastLoad().map(Instant::toString).orElse("start"));
    }
  }

  /**
   * The files whose resources are kept although they yield none now, each with the end of its grace
   * period: empty files, and every file of the last load if the directory holds no config file at
   * all any more. A grace period that ended is not renewed while the file stays empty; the reload
   * scheduled for its end is what deletes the resources.
   */
  private Map<String, Instant> filesInFlux(List<SourceFile> files, Set<String> unreadable, Instant now) {
    Set<String> names = new TreeSet<>(unreadable);
    Set<String> empty = new TreeSet<>();
    for (SourceFile file : files) {
      names.add(file.name());
      if (SnapshotAssembler.isBlank(file.text())) {
        empty.add(file.name());
      }
    }
    if (names.isEmpty()) {
      empty.addAll(lastFiles);
    } else {
      lastFiles = names;
    }
    inFluxSince.keySet().retainAll(empty);
    Map<String, Instant> inFlux = new TreeMap<>();
    for (String name : empty) {
      Instant until = inFluxSince.computeIfAbsent(name, n -> now).plus(settings.inFluxGrace());
      if (now.isBefore(until)) {
        inFlux.put(name, until);
        scheduleReloadAt(until, now);
      } else if (lastInFlux.contains(name)) {
        LOG.warn("{} has been empty for {} s: the resources it defined are deleted", name,
            settings.inFluxGrace().toMillis() / 1000.0);
      }
    }
    lastInFlux = inFlux.keySet();
    return inFlux;
  }

  private void scheduleReloadAt(Instant until, Instant now) {
    if (!scheduledExpiries.add(until)) {
      return;
    }
    long delayMillis = Duration.between(now, until).toMillis() + 1;
    scheduler.schedule(
        () -> {
          synchronized (this) {
            scheduledExpiries.remove(until);
          }
          reloadLogged();
        },
        delayMillis,
        TimeUnit.MILLISECONDS);
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
