package dev.outpost.it.hostile;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one case in a thread of its own and gives it {@code limit}. A case that overruns fails,
 * and its thread is stopped: without that, a runaway case (a regex compiling for minutes into a
 * full heap) would keep a core and the heap after its test failed and drag every case after it
 * into timeouts or an OutOfMemoryError, which JUnit treats as fatal to the whole run. Thread.stop
 * is deprecated for production code for good reasons; in this harness the stopped thread owns
 * nothing the next case uses (each case has its own directory, mock server and console capture,
 * released by try-with-resources as the ThreadDeath unwinds).
 */
final class CaseThread {
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
    thread.join(limit.toMillis());
    if (thread.isAlive()) {
      StackTraceElement[] where = thread.getStackTrace();
      try {
        thread.stop();
      } catch (UnsupportedOperationException e) {
        thread.interrupt(); // a JDK without Thread.stop: the best that is left
      }
      thread.join(2_000);
      AssertionError timeout =
          new AssertionError(name + ": did not finish within " + limit.toSeconds() + " s; it was at " + top(where));
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

  private static String top(StackTraceElement[] where) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < Math.min(6, where.length); i++) {
      s.append("\n    at ").append(where[i]);
    }
    return s.toString();
  }
}
