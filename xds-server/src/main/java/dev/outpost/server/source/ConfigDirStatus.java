package dev.outpost.server.source;

import dev.outpost.server.admin.ReadinessCheck;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * What the file source knows about its directory, for {@code /readyz} and {@code /metrics}: whether
 * the directory is there, since when it is missing, when the config in effect was loaded, how many
 * files are in flux and how often the directory was replaced.
 *
 * <p>A missing directory does not make the server unready: the proxies keep, and new proxies get,
 * the last good config, which is better than no control plane at all (an unready pod is taken out
 * of its Service, so new gateway pods could not start). {@code /readyz} stays 200 and says what is
 * wrong in its body; the log and {@code outpost_config_source_available} say it too.
 */
public final class ConfigDirStatus implements ReadinessCheck, Supplier<String> {
  private final Path dir;
  private final AtomicReference<Optional<Instant>> missingSince = new AtomicReference<>(Optional.empty());
  private final AtomicReference<Optional<Instant>> lastLoad = new AtomicReference<>(Optional.empty());
  private final AtomicInteger filesInFlux = new AtomicInteger();
  private final AtomicLong replacements = new AtomicLong();

  public ConfigDirStatus(Path dir) {
    this.dir = dir;
  }

  /** Marks the directory missing; true if it was there until now (so the caller logs once). */
  boolean markMissing(Instant now) {
    return missingSince.compareAndSet(Optional.empty(), Optional.of(now));
  }

  /** Marks the directory present; true if it was missing until now. */
  boolean markPresent() {
    return missingSince.getAndSet(Optional.empty()).isPresent();
  }

  void loaded(Instant at, int inFlux) {
    lastLoad.set(Optional.of(at));
    filesInFlux.set(inFlux);
  }

  void replaced() {
    replacements.incrementAndGet();
  }

  public boolean available() {
    return missingSince.get().isEmpty();
  }

  /** When the config in effect was read, if it was. */
  public Optional<Instant> lastLoad() {
    return lastLoad.get();
  }

  public long replacements() {
    return replacements.get();
  }

  @Override
  public Optional<String> notReadyBecause() {
    return Optional.empty(); // until the first load, the publisher has no config and says so
  }

  @Override
  public Optional<String> detail() {
    return missingSince
        .get()
        .map(
            since ->
                "config directory "
                    + dir
                    + " is missing since "
                    + since.truncatedTo(ChronoUnit.SECONDS)
                    + "; serving the last good config, loaded "
                    + lastLoad.get().map(t -> "at " + t.truncatedTo(ChronoUnit.SECONDS)).orElse("before")
                    + ". Restore the directory (or the symlink) and it is reloaded");
  }

  /** The file source's series, a section of {@code /metrics}. */
  @Override
  public String get() {
    StringBuilder out = new StringBuilder();
    series(out, "outpost_config_source_available", "gauge",
        "1 while the config directory exists; 0 while it is missing and the last good config is served.",
        available() ? 1 : 0);
    series(out, "outpost_config_files_in_flux", "gauge",
        "Files that turned empty and whose resources are kept for the grace period.", filesInFlux.get());
    series(out, "outpost_config_directory_replacements_total", "counter",
        "Times the config directory path led to another directory (replaced, symlink re-pointed, back after"
            + " vanishing) and was watched afresh.",
        replacements.get());
    return out.toString();
  }

  private static void series(StringBuilder out, String name, String type, String help, long value) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    out.append(name).append(' ').append(value).append('\n');
  }
}
