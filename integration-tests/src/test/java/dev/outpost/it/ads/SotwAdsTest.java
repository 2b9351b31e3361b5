package dev.outpost.it.ads;

import static dev.outpost.it.ads.Fixtures.ROUTE_NAME;
import static dev.outpost.it.ads.Fixtures.clusterName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Any;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** State-of-the-world ADS against the real server, as Envoy drives it. */
class SotwAdsTest {
  private static final String CDS = Resources.V3.CLUSTER_TYPE_URL;
  private static final String EDS = Resources.V3.ENDPOINT_TYPE_URL;
  private static final String LDS = Resources.V3.LISTENER_TYPE_URL;
  private static final String RDS = Resources.V3.ROUTE_TYPE_URL;
  private static final Node NODE = AdsHarness.gatewayNode("egress-1", Map.of("istio", "egressgateway"));

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
  void initialFetchDeliversEveryTypeAndAcksAreRecorded() throws Exception {
    try (SotwClient envoy = harness.sotw(NODE)) {
      envoy.request(CDS, List.of());
      DiscoveryResponse cds = envoy.await(CDS);
      assertEquals(List.of(clusterName("httpbin.org")), names(cds, Cluster.class));
      envoy.ack(cds, List.of());

      envoy.request(EDS, List.of(clusterName("httpbin.org")));
      DiscoveryResponse eds = envoy.await(EDS);
      assertEquals(List.of(clusterName("httpbin.org")), names(eds, ClusterLoadAssignment.class));
      envoy.ack(eds, List.of(clusterName("httpbin.org")));

      envoy.request(LDS, List.of());
      DiscoveryResponse lds = envoy.await(LDS);
      assertEquals(List.of(Fixtures.LISTENER_NAME), names(lds, Listener.class));
      envoy.ack(lds, List.of());

      envoy.request(RDS, List.of(ROUTE_NAME));
      DiscoveryResponse rds = envoy.await(RDS);
      assertEquals(List.of(ROUTE_NAME), names(rds, RouteConfiguration.class));
      envoy.ack(rds, List.of(ROUTE_NAME));

      JsonNode proxy = awaitProxy("egress-1", p -> p.path("ackedVersions").size() == 4);
      assertEquals(cds.getVersionInfo(), proxy.path("ackedVersions").path("Cluster").asText());
      assertEquals(rds.getVersionInfo(), proxy.path("ackedVersions").path("RouteConfiguration").asText());
      assertEquals("gateway|istio-system|istio-egressgateway|istio=egressgateway", proxy.path("group").asText());
      assertTrue(harness.admin("/metrics").contains("outpost_connected_proxies 1"));
    }
  }

  @Test
  void disconnectedProxiesLeaveTheRegistry() throws Exception {
    SotwClient closing = harness.sotw(NODE);
    SotwClient crashing = harness.sotw(AdsHarness.gatewayNode("egress-2", Map.of("istio", "egressgateway")));
    closing.request(CDS, List.of());
    closing.await(CDS);
    crashing.request(CDS, List.of());
    crashing.await(CDS);
    awaitMetric("outpost_connected_proxies 2");

    closing.close();
    awaitMetric("outpost_connected_proxies 1");
    crashing.abort();
    awaitMetric("outpost_connected_proxies 0");
  }

  private void awaitMetric(String line) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!harness.admin("/metrics").contains(line + "\n")) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("metrics never showed " + line + ":\n" + harness.admin("/metrics"));
      }
      Thread.sleep(50);
    }
  }

  @Test
  void configChangeIsPushedAndUnchangedConfigIsNot() throws Exception {
    try (SotwClient envoy = harness.sotw(NODE)) {
      envoy.request(RDS, List.of(ROUTE_NAME));
      DiscoveryResponse first = envoy.await(RDS);
      envoy.ack(first, List.of(ROUTE_NAME));

      harness.serve(Fixtures.egress(List.of("httpbin.org"), 15)); // same content, rebuilt
      envoy.assertNothingFor(RDS, 500);

      harness.serve(Fixtures.egress(List.of("httpbin.org"), 30));
      DiscoveryResponse second = envoy.await(RDS);
      assertNotEquals(first.getVersionInfo(), second.getVersionInfo());
      RouteConfiguration route = second.getResources(0).unpack(RouteConfiguration.class);
      assertEquals(30, route.getVirtualHosts(0).getRoutes(0).getRoute().getTimeout().getSeconds());
    }
  }

  @Test
  void versionsAreContentHashesStableAcrossServers() throws Exception {
    String version;
    try (SotwClient envoy = harness.sotw(NODE)) {
      envoy.request(CDS, List.of());
      version = envoy.await(CDS).getVersionInfo();
    }
    try (AdsHarness other = new AdsHarness(Fixtures.egress(List.of("httpbin.org"), 15));
        SotwClient envoy = other.sotw(NODE)) {
      envoy.request(CDS, List.of());
      assertEquals(version, envoy.await(CDS).getVersionInfo(), "a restarted server must send the same version");
    }
  }

  @Test
  void nackOfAResponseToNewlyRequestedNamesIsNotResentInALoop() throws Exception {
    // Envoy's first RDS request names a route it has not accepted yet; if it rejects the answer,
    // the cache saw "a requested name the proxy has not acked" and answered again, at once, forever.
    try (SotwClient envoy = harness.sotw(NODE)) {
      envoy.request(RDS, List.of(Fixtures.ROUTE_NAME));
      DiscoveryResponse rejected = envoy.await(RDS);
      envoy.nack(rejected, "", List.of(Fixtures.ROUTE_NAME), "route http.80: bad");
      envoy.assertNothingFor(RDS, 700);

      harness.serve(Fixtures.egress(List.of("httpbin.org"), 20));
      DiscoveryResponse next = envoy.await(RDS);
      assertNotEquals(rejected.getVersionInfo(), next.getVersionInfo(), "a new config is still pushed");
    }
  }

  @Test
  void nackKeepsLastGoodConfigWithoutResendLoopAndIsVisible() throws Exception {
    try (SotwClient envoy = harness.sotw(NODE)) {
      envoy.request(CDS, List.of());
      DiscoveryResponse good = envoy.await(CDS);
      envoy.ack(good, List.of());

      harness.serve(Fixtures.egress(List.of("httpbin.org", "example.com"), 15));
      DiscoveryResponse rejected = envoy.await(CDS);
      envoy.nack(rejected, good.getVersionInfo(), List.of(), "cluster outbound|80||example.com: bad");

      // The server must not answer the NACK by resending what was just rejected.
      envoy.assertNothingFor(CDS, 700);

      JsonNode proxy = awaitProxy("egress-1", p -> !p.path("lastNack").isNull());
      assertEquals("Cluster", proxy.path("lastNack").path("type").asText());
      assertEquals(rejected.getVersionInfo(), proxy.path("lastNack").path("version").asText());
      assertEquals("cluster outbound|80||example.com: bad", proxy.path("lastNack").path("error").asText());
      assertEquals(good.getVersionInfo(), proxy.path("ackedVersions").path("Cluster").asText());
      assertTrue(harness.admin("/metrics").contains("outpost_xds_nacks_total{type=\"Cluster\"} 1"));

      // A fixed config is pushed as usual.
      harness.serve(Fixtures.egress(List.of("httpbin.org"), 15));
      DiscoveryResponse fixed = envoy.await(CDS);
      assertEquals(good.getVersionInfo(), fixed.getVersionInfo());
    }
  }

  @Test
  void requestForUnknownResourceNameDoesNotStallTheStream() throws Exception {
    try (SotwClient envoy = harness.sotw(NODE)) {
      envoy.request(RDS, List.of(ROUTE_NAME, "http.8080"));
      DiscoveryResponse rds = envoy.await(RDS);
      assertEquals(List.of(ROUTE_NAME), names(rds, RouteConfiguration.class));
      envoy.ack(rds, List.of(ROUTE_NAME, "http.8080"));

      envoy.request(CDS, List.of());
      assertEquals(List.of(clusterName("httpbin.org")), names(envoy.await(CDS), Cluster.class));

      harness.serve(Fixtures.egress(List.of("httpbin.org"), 45));
      DiscoveryResponse updated = envoy.await(RDS);
      assertEquals(List.of(ROUTE_NAME), names(updated, RouteConfiguration.class));
    }
  }

  @Test
  void configDumpShowsWhatTheProxyIsServed() throws Exception {
    try (SotwClient envoy = harness.sotw(NODE)) {
      envoy.request(CDS, List.of());
      envoy.await(CDS);
      String dump = harness.admin("/debug/config_dump?node=egress-1");
      assertTrue(dump.startsWith("200 "), dump);
      assertTrue(dump.contains("type.googleapis.com/envoy.admin.v3.ClustersConfigDump"), dump);
      assertTrue(dump.contains("outbound|80||httpbin.org"), dump);
      assertTrue(harness.admin("/debug/config_dump?node=nobody").startsWith("404 "));
    }
  }

  @Test
  void nodeWithInvalidRoleIsRefusedWithAReason() throws Exception {
    Node bad =
        NODE.toBuilder()
            .setMetadata(
                NODE.getMetadata().toBuilder()
                    .putFields("ROLE", com.google.protobuf.Value.newBuilder().setStringValue("sidecar").build()))
            .build();
    try (SotwClient envoy = harness.sotw(bad)) {
      envoy.request(CDS, List.of());
      Throwable error = envoy.awaitError();
      assertTrue(error.getMessage().contains("ROLE \"sidecar\""), error.getMessage());
    }
  }

  private JsonNode awaitProxy(String node, java.util.function.Predicate<JsonNode> condition) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      String reply = harness.admin("/debug/proxies");
      JsonNode proxies = new ObjectMapper().readTree(reply.substring(reply.indexOf(' ') + 1));
      for (JsonNode proxy : proxies) {
        if (proxy.path("node").asText().equals(node)) {
          last = proxy;
          if (condition.test(proxy)) {
            return proxy;
          }
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("proxy " + node + " never reached the expected state; last seen: " + last);
  }

  static <T extends com.google.protobuf.Message> List<String> names(DiscoveryResponse response, Class<T> type)
      throws Exception {
    java.util.ArrayList<String> names = new java.util.ArrayList<>();
    for (Any any : response.getResourcesList()) {
      names.add(Resources.getResourceName(any.unpack(type)));
    }
    return names;
  }
}
