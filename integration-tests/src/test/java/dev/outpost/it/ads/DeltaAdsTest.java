package dev.outpost.it.ads;

import static dev.outpost.it.ads.Fixtures.clusterName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Incremental (delta) ADS against the real server. */
class DeltaAdsTest {
  private static final String CDS = Resources.V3.CLUSTER_TYPE_URL;
  private static final String RDS = Resources.V3.ROUTE_TYPE_URL;
  private static final String EDS = Resources.V3.ENDPOINT_TYPE_URL;
  private static final String LDS = Resources.V3.LISTENER_TYPE_URL;
  private static final Node NODE = AdsHarness.gatewayNode("egress-delta", Map.of("istio", "egressgateway"));

  private AdsHarness harness;

  @BeforeEach
  void start() throws Exception {
    harness = new AdsHarness(Fixtures.egress(List.of("a.example", "b.example"), 15));
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void initialFetchDeliversEveryType() throws Exception {
    try (DeltaClient envoy = harness.delta(NODE)) {
      envoy.subscribe(CDS, List.of(), Map.of());
      DeltaDiscoveryResponse cds = envoy.await(CDS);
      envoy.ack(cds);
      envoy.subscribe(EDS, List.of(clusterName("a.example"), clusterName("b.example")), Map.of());
      assertEquals(Map.of(clusterName("a.example"), true, clusterName("b.example"), true), namesOf(envoy.await(EDS)));
      envoy.subscribe(LDS, List.of(), Map.of());
      assertEquals(Map.of(Fixtures.LISTENER_NAME, true), namesOf(envoy.await(LDS)));
      envoy.subscribe(RDS, List.of(Fixtures.ROUTE_NAME), Map.of());
      assertEquals(Map.of(Fixtures.ROUTE_NAME, true), namesOf(envoy.await(RDS)));
    }
  }

  @Test
  void addsAndRemovesResources() throws Exception {
    try (DeltaClient envoy = harness.delta(NODE)) {
      envoy.subscribe(CDS, List.of(), Map.of());
      DeltaDiscoveryResponse initial = envoy.await(CDS);
      assertEquals(Map.of(clusterName("a.example"), true, clusterName("b.example"), true), namesOf(initial));
      envoy.ack(initial);

      harness.serve(Fixtures.egress(List.of("a.example", "c.example"), 15));
      DeltaDiscoveryResponse change = envoy.await(CDS);
      assertEquals(Map.of(clusterName("c.example"), true), namesOf(change), "only the new cluster is sent");
      assertEquals(List.of(clusterName("b.example")), change.getRemovedResourcesList());
      envoy.ack(change);

      harness.serve(Fixtures.egress(List.of("a.example", "c.example"), 15));
      envoy.assertNothingFor(CDS, 500);
    }
  }

  @Test
  void reconnectWithInitialResourceVersionsRemovesStaleAndSkipsUnchanged() throws Exception {
    Map<String, String> held = new TreeMap<>();
    try (DeltaClient first = harness.delta(NODE)) {
      first.subscribe(CDS, List.of(), Map.of());
      DeltaDiscoveryResponse initial = first.await(CDS);
      for (Resource resource : initial.getResourcesList()) {
        held.put(resource.getName(), resource.getVersion());
      }
      first.ack(initial);
    }
    // While the proxy was away, b.example's cluster went away. It reconnects holding both, plus a
    // cluster from some older control plane.
    harness.serve(Fixtures.egress(List.of("a.example"), 15));
    held.put("outbound|80||gone.example", "some-old-version");

    try (DeltaClient envoy = harness.delta(NODE)) {
      envoy.subscribe(CDS, List.of(), held);
      DeltaDiscoveryResponse response = envoy.await(CDS);
      assertEquals(
          List.of(clusterName("b.example"), "outbound|80||gone.example"),
          response.getRemovedResourcesList().stream().sorted().toList());
      assertTrue(response.getResourcesList().isEmpty(), "a.example is unchanged and must not be resent");
      envoy.ack(response);

      // a.example was never sent on this stream, yet removing it later must reach the proxy.
      harness.serve(Fixtures.egress(List.of("z.example"), 15));
      DeltaDiscoveryResponse later = envoy.await(CDS);
      assertEquals(List.of(clusterName("a.example")), later.getRemovedResourcesList());
      assertEquals(Map.of(clusterName("z.example"), true), namesOf(later));
    }
  }

  @Test
  void nackedResourceIsNotResentUntilConfigChanges() throws Exception {
    try (DeltaClient envoy = harness.delta(NODE)) {
      envoy.subscribe(RDS, List.of(Fixtures.ROUTE_NAME), Map.of());
      DeltaDiscoveryResponse rds = envoy.await(RDS);
      assertEquals(Map.of(Fixtures.ROUTE_NAME, true), namesOf(rds));
      envoy.nack(rds, "route http.80: bad");
      envoy.assertNothingFor(RDS, 700);
      assertTrue(harness.admin("/metrics").contains("outpost_xds_nacks_total{type=\"RouteConfiguration\"} 1"));

      harness.serve(Fixtures.egress(List.of("a.example", "b.example"), 20));
      assertEquals(Map.of(Fixtures.ROUTE_NAME, true), namesOf(envoy.await(RDS)));
    }
  }

  private static Map<String, Boolean> namesOf(DeltaDiscoveryResponse response) {
    Map<String, Boolean> names = new TreeMap<>();
    for (Resource resource : response.getResourcesList()) {
      assertTrue(!resource.getVersion().isEmpty(), "every delta resource carries its version");
      names.put(resource.getName(), true);
    }
    return names;
  }
}
