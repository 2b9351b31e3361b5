package dev.outpost.server.source;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs an action once a burst of events has settled: after {@code quiet} without a new event, but
 * never later than {@code max} after the burst's first event, so a file that is rewritten
 * continuously still gets picked up. An editor's save or a ConfigMap update is many events; it
 * becomes one reload.
 */
final class Debouncer {
  private final ScheduledExecutorService scheduler;
  private final Runnable action;
  private final long quietNanos;
  private final long maxNanos;
  private ScheduledFuture<?> pending;
  private long burstStart;

  Debouncer(ScheduledExecutorService scheduler, Duration quiet, Duration max, Runnable action) {
    this.scheduler = scheduler;
    this.action = action;
    this.quietNanos = quiet.toNanos();
    this.maxNanos = max.toNanos();
  }

  synchronized void event() {
    long now = System.nanoTime();
    if (pending == null) {
      burstStart = now;
    } else {
      pending.cancel(false);
    }
    long fireAt = Math.min(now + quietNanos, burstStart + maxNanos);
    pending = scheduler.schedule(this::fire, Math.max(0, fireAt - now), TimeUnit.NANOSECONDS);
  }

  private void fire() {
    synchronized (this) {
      pending = null;
    }
    action.run();
  }
}
