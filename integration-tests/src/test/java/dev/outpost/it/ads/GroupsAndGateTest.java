package dev.outpost.it.ads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.outpost.translator.check.CheckResult;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Proxy groups (one translation per group) and the publishing gate. */
class GroupsAndGateTest {
  private static final String CDS = Resources.V3.CLUSTER_TYPE_URL;
  private static final String RDS = Resources.V3.ROUTE_TYPE_URL;

  private AdsHarness harness;

  @BeforeEach
  void start() throws Exception {
    harness = new AdsHarness(Fixtures.egress(List.of("httpbin.org"), 15));
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void proxiesWithTheSameLabelsShareOneGroupAndOneTranslation() throws Exception {
    Map<String, String> labels = Map.of("istio", "egressgateway", "app", "egress");
    try (SotwClient one = harness.sotw(AdsHarness.gatewayNode("egress-a", labels));
        SotwClient two = harness.sotw(AdsHarness.gatewayNode("egress-b", labels))) {
      one.request(CDS, List.of());
      DiscoveryResponse fromOne = one.await(CDS);
      two.request(CDS, List.of());
      DiscoveryResponse fromTwo = two.await(CDS);
      assertEquals(fromOne.getVersionInfo(), fromTwo.getVersionInfo());
      assertEquals(1, harness.server.publisher().groups().size());
      assertEquals(1, harness.translations.get(), "the second replica must reuse the group's translation");

      try (SotwClient other = harness.sotw(AdsHarness.gatewayNode("egress-c", Map.of("istio", "other")))) {
        other.request(CDS, List.of());
        other.await(CDS);
        assertEquals(2, harness.server.publisher().groups().size());
        assertEquals(2, harness.translations.get());
      }
    }
  }

  @Test
  void groupWithoutProxiesIsDroppedAtTheNextChangeAndRebuiltOnReconnect() throws Exception {
    var node = AdsHarness.gatewayNode("egress-1", Map.of("istio", "egressgateway"));
    try (SotwClient envoy = harness.sotw(node)) {
      envoy.request(CDS, List.of());
      envoy.await(CDS);
    }
    awaitNoProxies();
    harness.serve(Fixtures.egress(List.of("httpbin.org", "example.com"), 15));
    assertEquals(0, harness.server.publisher().groups().size(), "nobody left to translate for");
    assertEquals(1, harness.translations.get());

    try (SotwClient envoy = harness.sotw(node)) {
      envoy.request(CDS, List.of());
      assertEquals(2, envoy.await(CDS).getResourcesCount(), "a returning proxy gets the current config");
    }
  }

  @Test
  void groupWithoutProxiesIsDroppedOnceItsLastStreamEndsWithoutWaitingForAConfigChange() throws Exception {
    // A rollout changes a pod label, so each rollout is a new group: the old ones must not keep
    // their snapshots until the config next changes (which in file mode may be never).
    for (String revision : List.of("r1", "r2", "r3")) {
      try (SotwClient envoy = harness.sotw(
          AdsHarness.gatewayNode("egress-" + revision, Map.of("istio", "egressgateway", "rev", revision)))) {
        envoy.request(CDS, List.of());
        envoy.await(CDS);
      }
    }
    awaitNoProxies();
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!harness.server.publisher().groups().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(List.of(), List.copyOf(harness.server.publisher().groups()), "no proxy is left in any group");

    try (SotwClient envoy = harness.sotw(
        AdsHarness.gatewayNode("egress-r1", Map.of("istio", "egressgateway", "rev", "r1")))) {
      envoy.request(CDS, List.of());
      assertEquals(1, envoy.await(CDS).getResourcesCount(), "a returning proxy starts its group afresh");
    }
  }

  @Test
  void aStreamStaysInTheGroupOfItsFirstNodeWhateverLaterRequestsCarry() throws Exception {
    // The registry counts and shows the stream in the group of its first node, and (with the
    // Kubernetes source) that node is what gets verified: a later request naming another node
    // must not get that other group's config.
    harness.resources.set(proxy -> proxy.labels().containsKey("team")
        ? Fixtures.egress(List.of("y1.example", "y2.example"), 15)
        : Fixtures.egress(List.of("x.example"), 15));
    var other = AdsHarness.gatewayNode("team-gw", Map.of("team", "other"));
    try (SotwClient teamProxy = harness.sotw(other);
        SotwClient envoy = harness.sotw(AdsHarness.gatewayNode("egress-1", Map.of("istio", "egressgateway")))) {
      teamProxy.request(CDS, List.of());
      assertEquals(2, teamProxy.await(CDS).getResourcesCount());
      envoy.request(CDS, List.of());
      DiscoveryResponse clusters = envoy.await(CDS);
      assertEquals(1, clusters.getResourcesCount());
      envoy.ack(clusters, List.of());

      envoy.requestAs(other, Resources.V3.ENDPOINT_TYPE_URL, List.of());
      DiscoveryResponse endpoints = envoy.await(Resources.V3.ENDPOINT_TYPE_URL);
      assertEquals(
          List.of(Fixtures.clusterName("x.example")),
          endpoints.getResourcesList().stream()
              .map(any -> {
                try {
                  return any.unpack(io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment.class).getClusterName();
                } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                  throw new AssertionError(e);
                }
              })
              .toList());
    }
  }

  private void awaitNoProxies() throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!harness.server.registry().proxies().isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("proxy never left the registry");
      }
      Thread.sleep(20);
    }
  }

  @Test
  void translatorFailureKeepsTheLastGoodSnapshot() throws Exception {
    try (SotwClient envoy = harness.sotw(AdsHarness.gatewayNode("egress-1", Map.of("istio", "egressgateway")))) {
      envoy.request(CDS, List.of());
      DiscoveryResponse good = envoy.await(CDS);
      envoy.ack(good, List.of());

      harness.resources.set(proxy -> { throw new IllegalStateException("translator bug"); });
      harness.republish();
      envoy.assertNothingFor(CDS, 500);
      assertEquals(1, harness.server.metrics().rejectedSnapshots());

      harness.serve(Fixtures.egress(List.of("httpbin.org", "example.com"), 15));
      assertEquals(2, envoy.await(CDS).getResourcesCount(), "the stream survived and gets later config");
    }
  }

  @Test
  void snapshotFailingTheGateIsNotPublished() throws Exception {
    try (SotwClient envoy = harness.sotw(AdsHarness.gatewayNode("egress-1", Map.of("istio", "egressgateway")))) {
      envoy.request(RDS, List.of(Fixtures.ROUTE_NAME));
      DiscoveryResponse good = envoy.await(RDS);
      envoy.ack(good, List.of(Fixtures.ROUTE_NAME));

      harness.gateResult.set(new CheckResult(ImmutableList.of("Cluster outbound|80||httpbin.org: broken")));
      harness.serve(Fixtures.egress(List.of("httpbin.org"), 99));
      envoy.assertNothingFor(RDS, 700);
      assertEquals(1, harness.server.metrics().rejectedSnapshots());
      assertTrue(harness.admin("/metrics").contains("outpost_snapshots_rejected_total 1"));
      String dump = harness.admin("/debug/config_dump?node=egress-1");
      assertTrue(dump.contains("\"15s\""), "the group keeps its last good snapshot: " + dump);

      harness.gateResult.set(CheckResult.OK);
      harness.republish();
      DiscoveryResponse next = envoy.await(RDS);
      assertNotEquals(good.getVersionInfo(), next.getVersionInfo());
      assertEquals(
          99,
          next.getResources(0).unpack(RouteConfiguration.class)
              .getVirtualHosts(0).getRoutes(0).getRoute().getTimeout().getSeconds());
    }
  }
}
