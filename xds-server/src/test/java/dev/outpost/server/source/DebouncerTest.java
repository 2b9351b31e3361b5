package dev.outpost.server.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DebouncerTest {
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final AtomicInteger runs = new AtomicInteger();

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  @Test
  void burstOfEventsRunsOnceAfterQuietPeriod() throws Exception {
    Debouncer debouncer = new Debouncer(scheduler, Duration.ofMillis(300), Duration.ofSeconds(10), runs::incrementAndGet);
    for (int i = 0; i < 5; i++) {
      debouncer.event();
    }
    assertEquals(0, runs.get(), "must wait for the burst to go quiet");
    Thread.sleep(1500);
    assertEquals(1, runs.get(), "five events, one run");
  }

  @Test
  void continuousEventsStillRunByTheMaximumDelay() throws Exception {
    Debouncer debouncer = new Debouncer(scheduler, Duration.ofMillis(200), Duration.ofMillis(500), runs::incrementAndGet);
    long start = System.nanoTime();
    while (System.nanoTime() - start < 1_200_000_000L) {
      debouncer.event(); // never quiet for 200 ms
      Thread.sleep(50);
    }
    assertTrue(runs.get() >= 1, "a never-quiet directory must still be reloaded");
  }
}
