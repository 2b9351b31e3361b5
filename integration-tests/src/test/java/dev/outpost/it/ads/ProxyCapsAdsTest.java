package dev.outpost.it.ads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.outpost.server.xds.ProxyLimits;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.grpc.Status;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * serve --max-proxy-groups and --max-streams-per-peer: a stream over a cap is refused with
 * RESOURCE_EXHAUSTED, counted, and leaves nothing behind; a freed slot is usable again.
 */
class ProxyCapsAdsTest {
  private static final String CDS = Resources.V3.CLUSTER_TYPE_URL;

  @Test
  void aProxyThatWouldStartOneGroupTooManyIsRefused() throws Exception {
    try (AdsHarness harness = new AdsHarness(Fixtures.egress(List.of("httpbin.org"), 15), new ProxyLimits(2, 1000));
        SotwClient a = served(harness, node("a", "one"));
        SotwClient b = served(harness, node("b", "two"))) {
      try (SotwClient c = harness.sotw(node("c", "three"))) {
        c.request(CDS, List.of());
        Status status = Status.fromThrowable(c.awaitError());
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, status.getCode());
        assertTrue(status.getDescription().contains("(serve --max-proxy-groups)"), status.getDescription());
      }
      assertEquals(2, harness.server.publisher().groups().size());
      assertEquals(2, harness.server.registry().proxies().size(), "the refused stream is not registered");
      assertEquals(2, harness.translations.get());
      assertTrue(harness.admin("/metrics").contains("outpost_proxy_limit_refusals_total{limit=\"proxy_groups\"} 1\n"));

      // Another replica of a served group is no new group.
      try (SotwClient replica = served(harness, node("a-2", "one"))) {
        assertEquals(2, harness.server.publisher().groups().size());
      }

      // Once a group's proxies are gone, its place is free.
      b.close();
      await(() -> harness.server.publisher().groups().size() == 1, "group two dropped after its proxy left");
      try (SotwClient c = served(harness, node("c", "three"))) {
        assertEquals(2, harness.server.publisher().groups().size());
      }
    }
  }

  @Test
  void streamsFromOneAddressAreCapped() throws Exception {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    try (AdsHarness harness = new AdsHarness(Fixtures.egress(List.of("httpbin.org"), 15), new ProxyLimits(1000, 2));
        SotwClient one = served(harness, node("one", "gw"))) {
      DeltaClient two = harness.delta(node("two", "gw"));
      two.subscribe(CDS, List.of(), Map.of());
      two.await(CDS);
      assertEquals(2, harness.server.registry().streamsFrom(loopback));

      try (SotwClient three = harness.sotw(node("three", "gw"))) {
        three.request(CDS, List.of());
        Status status = Status.fromThrowable(three.awaitError());
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, status.getCode());
        assertTrue(status.getDescription().contains("too many ADS streams from 127.0.0.1: at most 2"), status.getDescription());
      }
      assertEquals(2, harness.server.registry().streamsFrom(loopback), "the refused stream counts for nothing");
      assertEquals(2, harness.server.registry().proxies().size());
      assertTrue(harness.admin("/metrics").contains("outpost_proxy_limit_refusals_total{limit=\"streams_per_peer\"} 1\n"));

      two.close();
      await(() -> harness.server.registry().streamsFrom(loopback) == 1, "the closed stream's slot is released");
      try (SotwClient three = served(harness, node("three", "gw"))) {
        assertEquals(2, harness.server.registry().streamsFrom(loopback));
      }
    }
  }

  private static SotwClient served(AdsHarness harness, Node node) throws InterruptedException {
    SotwClient client = harness.sotw(node);
    client.request(CDS, List.of());
    client.await(CDS);
    return client;
  }

  private static Node node(String id, String app) {
    return AdsHarness.gatewayNode(id, Map.of("istio", "egressgateway", "app", app));
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 10 s: " + what);
      }
      Thread.sleep(20);
    }
  }
}
