package dev.outpost.server.xds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import dev.outpost.server.metrics.Metrics;
import dev.outpost.translator.api.EnvoyResources;
import dev.outpost.translator.api.ProxyIdentity;
import dev.outpost.translator.api.ProxyRole;
import dev.outpost.translator.api.Translation;
import dev.outpost.translator.check.CheckResult;
import dev.outpost.translator.model.ConfigSnapshot;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SnapshotPublisherTest {
  private static final GroupKey BROKEN =
      GroupKey.of(ProxyIdentity.of("a", ProxyRole.GATEWAY, "ns", "sa", Map.of("app", "broken")));
  private static final GroupKey FINE =
      GroupKey.of(ProxyIdentity.of("b", ProxyRole.GATEWAY, "ns", "sa", Map.of("app", "fine")));

  private final AtomicInteger timeout = new AtomicInteger(1);
  private final Metrics metrics = new Metrics();
  private final XdsCache cache = new XdsCache();

  /** One cluster whose content changes with {@link #timeout}. */
  private EnvoyResources resources() {
    Cluster cluster = Cluster.newBuilder()
        .setName("c")
        .setConnectTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(timeout.get()))
        .build();
    return new EnvoyResources(
        ImmutableList.of(), ImmutableList.of(), ImmutableList.of(cluster), ImmutableList.of(), ImmutableList.of());
  }

  @Test
  void readinessAndDumpsDoNotWaitForAReloadInProgress() throws Exception {
    // /readyz and /debug/config_dump read the publisher while a reload translates every group,
    // which takes seconds on a large config: a probe with a 1 s timeout must not fail meanwhile.
    java.util.concurrent.CountDownLatch translating = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    SnapshotPublisher publisher = new SnapshotPublisher(
        cache,
        (config, proxy) -> {
          if (calls.incrementAndGet() == 2) {
            translating.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return new Translation(resources(), ImmutableList.of());
        },
        r -> CheckResult.OK,
        metrics);
    publisher.updateConfig(ConfigSnapshot.EMPTY);
    publisher.join(FINE);
    Thread reload = new Thread(() -> publisher.updateConfig(ConfigSnapshot.EMPTY));
    reload.start();
    try {
      assertTrue(translating.await(5, java.util.concurrent.TimeUnit.SECONDS));
      java.util.concurrent.CompletableFuture<Boolean> ready =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> publisher.hasConfig() && publisher.snapshot(FINE).isPresent() && publisher.config().isPresent());
      assertTrue(ready.get(2, java.util.concurrent.TimeUnit.SECONDS));
    } finally {
      release.countDown();
      reload.join();
    }
  }

  @Test
  void aGateThatThrowsForOneGroupDoesNotStopTheOthersOrTheJoin() {
    SnapshotGate gate = r -> CheckResult.OK;
    SnapshotPublisher publisher = new SnapshotPublisher(
        cache,
        (config, proxy) -> new Translation(resources(), ImmutableList.of()),
        r -> {
          throw new IllegalStateException("checker bug");
        },
        metrics);
    SnapshotPublisher throwingForBroken = new SnapshotPublisher(
        cache,
        (config, proxy) -> {
          if (proxy.labels().get("app").equals("broken")) {
            // Two clusters with one name: the snapshot cannot be built; only this group suffers.
            return new Translation(
                new EnvoyResources(ImmutableList.of(), ImmutableList.of(),
                    ImmutableList.of(resources().clusters().get(0), resources().clusters().get(0)),
                    ImmutableList.of(), ImmutableList.of()),
                ImmutableList.of());
          }
          return new Translation(resources(), ImmutableList.of());
        },
        gate,
        metrics);

    // The checker throwing on a proxy's first request must not escape into the gRPC callback.
    publisher.updateConfig(ConfigSnapshot.EMPTY);
    publisher.join(FINE);
    assertTrue(publisher.snapshot(FINE).isEmpty());

    throwingForBroken.updateConfig(ConfigSnapshot.EMPTY);
    throwingForBroken.join(BROKEN);
    throwingForBroken.join(FINE);
    String before = throwingForBroken.snapshot(FINE).orElseThrow().version(
        io.envoyproxy.controlplane.cache.Resources.ResourceType.CLUSTER);

    // A reload: the broken group comes first and fails, the fine group must still get the change.
    timeout.set(2);
    throwingForBroken.updateConfig(ConfigSnapshot.EMPTY);
    String after = throwingForBroken.snapshot(FINE).orElseThrow().version(
        io.envoyproxy.controlplane.cache.Resources.ResourceType.CLUSTER);
    assertTrue(!before.equals(after), "the other group must still be updated");
    assertTrue(throwingForBroken.snapshot(BROKEN).isEmpty());
    assertEquals(3, metrics.rejectedSnapshots(), "the checker failure, and the broken group at join and at reload");
  }

  @Test
  void theDiagnosticsMetricCountsTranslationFindingsOfEveryGroupOnceWithTheConfigsOwn() {
    dev.outpost.translator.diag.Diagnostic refused =
        dev.outpost.translator.diag.Diagnostic.error("EnvoyFilter istio-system/bad", "spec.configPatches[0]", "not applied");
    dev.outpost.translator.diag.Diagnostic onlyFine =
        dev.outpost.translator.diag.Diagnostic.warning("VirtualService ns/fine", "spec.http[0]", "a warning");
    ConfigSnapshot config = new ConfigSnapshot(
        ImmutableList.of(), ImmutableList.of(), ImmutableList.of(), ImmutableList.of(), ImmutableList.of(),
        ImmutableList.of(dev.outpost.translator.diag.Diagnostic.warning("ServiceEntry ns/se", "spec", "a parse warning")));
    SnapshotPublisher publisher = new SnapshotPublisher(
        cache,
        (c, proxy) -> new Translation(
            resources(),
            c.diagnostics().isEmpty()
                ? ImmutableList.of()
                : proxy.labels().get("app").equals("fine") ? ImmutableList.of(refused, onlyFine) : ImmutableList.of(refused)),
        r -> CheckResult.OK,
        metrics);

    publisher.updateConfig(config);
    publisher.join(BROKEN);
    assertTrue(metrics.prometheusText().contains("outpost_config_diagnostics{severity=\"error\"} 1\n"), metrics.prometheusText());
    assertTrue(metrics.prometheusText().contains("outpost_config_diagnostics{severity=\"warning\"} 1\n"), metrics.prometheusText());

    // A group that joins later adds its own findings; one both groups have is counted once.
    publisher.join(FINE);
    assertTrue(metrics.prometheusText().contains("outpost_config_diagnostics{severity=\"error\"} 1\n"), metrics.prometheusText());
    assertTrue(metrics.prometheusText().contains("outpost_config_diagnostics{severity=\"warning\"} 2\n"), metrics.prometheusText());

    // The config is fixed: nothing left.
    publisher.updateConfig(ConfigSnapshot.EMPTY);
    assertTrue(metrics.prometheusText().contains("outpost_config_diagnostics{severity=\"error\"} 0\n"), metrics.prometheusText());
    assertTrue(metrics.prometheusText().contains("outpost_config_diagnostics{severity=\"warning\"} 0\n"), metrics.prometheusText());
  }
}
