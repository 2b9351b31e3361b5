package dev.outpost.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RebuildSchedulerTest {
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  @Test
  void aBurstBecomesOneRebuild() throws InterruptedException {
    AtomicInteger runs = new AtomicInteger();
    RebuildScheduler scheduler =
        new RebuildScheduler(executor, Duration.ofMillis(250), Duration.ofSeconds(10), runs::incrementAndGet);
    for (int i = 0; i < 50; i++) {
      scheduler.changed();
    }
    Thread.sleep(800);
    assertEquals(1, runs.get());
    scheduler.changed();
    Thread.sleep(800);
    assertEquals(2, runs.get(), "a later change is a new burst");
  }

  @Test
  void continuousChangesStillRebuildAfterMaxDelay() throws InterruptedException {
    AtomicInteger runs = new AtomicInteger();
    RebuildScheduler scheduler =
        new RebuildScheduler(executor, Duration.ofMillis(100), Duration.ofMillis(250), runs::incrementAndGet);
    long end = System.nanoTime() + Duration.ofMillis(900).toNanos();
    while (System.nanoTime() < end) {
      scheduler.changed(); // never 100 ms quiet
      Thread.sleep(20);
    }
    assertTrue(runs.get() >= 2, "max delay forces rebuilds during a continuous burst, got " + runs.get());
  }
}
