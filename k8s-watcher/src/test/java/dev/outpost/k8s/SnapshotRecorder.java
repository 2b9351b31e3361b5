package dev.outpost.k8s;

import static org.junit.jupiter.api.Assertions.fail;

import dev.outpost.translator.model.ConfigSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** The consumer under test: records every snapshot the watcher hands over. */
final class SnapshotRecorder implements Consumer<ConfigSnapshot> {
  static final Duration TIMEOUT = Duration.ofSeconds(20);

  final List<ConfigSnapshot> received = new CopyOnWriteArrayList<>();

  @Override
  public void accept(ConfigSnapshot snapshot) {
    received.add(snapshot);
  }

  ConfigSnapshot latest() {
    return received.isEmpty() ? null : received.get(received.size() - 1);
  }

  /** Waits for a handed-over snapshot that satisfies {@code condition}, and returns it. */
  ConfigSnapshot await(String what, Predicate<ConfigSnapshot> condition) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      ConfigSnapshot latest = latest();
      if (latest != null && condition.test(latest)) {
        return latest;
      }
      Thread.sleep(20);
    }
    fail("no snapshot with " + what + " within " + TIMEOUT + "; last: " + latest());
    return null;
  }
}
