package dev.outpost.k8s;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Coalesces a burst of changes into one rebuild: the rebuild runs {@code quiet} after the last
 * change, but never later than {@code maxDelay} after the first change of the burst, so a cluster
 * that changes continuously (a controller rewriting a resource every 50 ms) still gets rebuilt.
 * The watcher has its own rather than sharing xds-server's file-source debouncer because
 * k8s-watcher must not depend on xds-server; the rule is the same.
 */
final class RebuildScheduler {
  private final ScheduledExecutorService executor;
  private final Runnable rebuild;
  private final long quietNanos;
  private final long maxNanos;
  private ScheduledFuture<?> pending;
  private long burstStart;

  RebuildScheduler(ScheduledExecutorService executor, Duration quiet, Duration maxDelay, Runnable rebuild) {
    this.executor = executor;
    this.rebuild = rebuild;
    this.quietNanos = quiet.toNanos();
    this.maxNanos = maxDelay.toNanos();
  }

  /** Something changed. */
  synchronized void changed() {
    long now = System.nanoTime();
    if (pending == null) {
      burstStart = now;
    } else {
      pending.cancel(false);
    }
    long runAt = Math.min(now + quietNanos, burstStart + maxNanos);
    pending = executor.schedule(this::run, Math.max(0, runAt - now), TimeUnit.NANOSECONDS);
  }

  private void run() {
    synchronized (this) {
      pending = null;
    }
    rebuild.run();
  }
}
