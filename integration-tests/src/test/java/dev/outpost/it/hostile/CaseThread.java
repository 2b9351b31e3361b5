package dev.outpost.it.hostile;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one case in a thread of its own and gives it {@code limit}, and the heap short of the last
 * 15%. A case that overruns either fails, and its thread is stopped: without that, a runaway case (a regex compiling for minutes into a
 * full heap) would keep a core and the heap after its test failed and drag every case after it
 * into timeouts or an OutOfMemoryError, which JUnit treats as fatal to the whole run. Thread.stop
 * is deprecated for production code for good reasons; in this harness the stopped thread owns
 * nothing the next case uses (each case has its own directory, mock server and console capture,
 * released by try-with-resources as the ThreadDeath unwinds).
 */
final class CaseThread {
  private static final StackTraceElement[] NOWHERE = new StackTraceElement[0];

  private CaseThread() {}

  interface Body {
    void run() throws Exception;
  }

  @SuppressWarnings({"deprecation", "removal"})
  static void run(String name, Duration limit, Body body) throws Throwable {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                body.run();
              } catch (Throwable t) {
                failure.set(t);
              }
            },
            "hostile-case");
    thread.setDaemon(true);
    thread.start();
    long deadline = System.nanoTime() + limit.toNanos();
    boolean exhausted = false;
    while (thread.isAlive() && System.nanoTime() < deadline && !exhausted) {
      try {
        thread.join(50);
        exhausted = heapExhausted();
      } catch (OutOfMemoryError e) { // this thread could not even look: the heap is full
        exhausted = true;
      }
    }
    if (thread.isAlive()) {
      StackTraceElement[] where;
      try {
        where = thread.getStackTrace();
      } catch (OutOfMemoryError e) {
        where = NOWHERE;
      }
      try {
        thread.stop();
      } catch (UnsupportedOperationException e) {
        thread.interrupt(); // a JDK without Thread.stop: the best that is left
      }
      thread.join(2_000);
      AssertionError timeout =
          new AssertionError(
              name + (exhausted
                  ? ": filled the heap (" + (Runtime.getRuntime().maxMemory() >> 20) + " MiB) with live data; stopped at "
                  : ": did not finish within " + limit.toSeconds() + " s; it was at ") + top(where));
      timeout.setStackTrace(where);
      throw timeout;
    }
    Throwable failed = failure.get();
    if (failed instanceof Error && !(failed instanceof AssertionError)) {
      // JUnit ends the whole run on an OutOfMemoryError; here it is one case's finding.
      throw new AssertionError(name + ": threw " + failed, failed);
    }
    if (failed != null) {
      throw failed;
    }
  }

  /**
   * Whether the data still live after the last collection fills nearly the whole heap: the case is
   * about to run the JVM out of memory, and an OutOfMemoryError may strike any thread (JUnit's,
   * Surefire's), so it is stopped first.
   */
  static boolean heapExhausted() {
    if (!fullAfterLastCollection()) {
      return false;
    }
    // The figure is from the last collection, which may predate a stopped case's release.
    System.gc();
    return fullAfterLastCollection();
  }

  private static boolean fullAfterLastCollection() {
    long max = Runtime.getRuntime().maxMemory();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      MemoryUsage afterGc = pool.getCollectionUsage();
      if (pool.getType() == MemoryType.HEAP && afterGc != null && afterGc.getUsed() > max / 100 * 85) {
        return true;
      }
    }
    return false;
  }

  private static String top(StackTraceElement[] where) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < Math.min(6, where.length); i++) {
      s.append("\n    at ").append(where[i]);
    }
    return s.toString();
  }
}
