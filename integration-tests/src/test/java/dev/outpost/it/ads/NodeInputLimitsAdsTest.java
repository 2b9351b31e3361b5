package dev.outpost.it.ads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.core.v3.Extension;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Status;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What one client can make the server hold through a stream's node and NACKs (README, "How Outpost
 * treats bad input"): malformed or oversized metadata is refused before any group exists, and a
 * NACK's message is kept truncated.
 */
class NodeInputLimitsAdsTest {
  private static final String CDS = Resources.V3.CLUSTER_TYPE_URL;
  private static final Map<String, String> LABELS = Map.of("istio", "egressgateway");

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
  void malformedOrOversizedMetadataIsRefusedAndLeavesNothingBehind() throws Exception {
    Node good = AdsHarness.gatewayNode("egress-1", LABELS);
    Map<String, Node> refused = Map.of(
        "metadata ROLE must be a string",
        withField(good, "ROLE", Value.newBuilder().setStructValue(
            Struct.newBuilder().putFields("x", Value.newBuilder().setNumberValue(1).build())).build()),
        "metadata NAMESPACE must be a string",
        withField(good, "NAMESPACE", Value.newBuilder().setNumberValue(3).build()),
        "at most 16384 (16 KiB)",
        withField(good, "NOTES", Value.newBuilder().setStringValue("n".repeat(100_000)).build()),
        "has a name of 64 characters; at most 63",
        AdsHarness.gatewayNode("egress-1", Map.of("k".repeat(64), "v")),
        "node.id is 5000 characters long",
        good.toBuilder().setId("i".repeat(5000)).build());
    for (Map.Entry<String, Node> bad : refused.entrySet()) {
      try (SotwClient sotw = harness.sotw(bad.getValue()); DeltaClient delta = harness.delta(bad.getValue())) {
        sotw.request(CDS, List.of());
        delta.subscribe(CDS, List.of(), Map.of());
        for (Throwable error : List.of(sotw.awaitError(), delta.awaitError())) {
          Status status = Status.fromThrowable(error);
          assertEquals(Status.Code.INVALID_ARGUMENT, status.getCode(), bad.getKey());
          assertTrue(status.getDescription().contains(bad.getKey()), status.getDescription());
          assertTrue(status.getDescription().length() < 500, "never echoes the input: " + status.getDescription().length());
        }
      }
    }

    assertEquals(List.of(), harness.server.registry().proxies());
    assertEquals(0, harness.server.publisher().groups().size(), "no group was created for a refused stream");
    assertEquals(0, harness.translations.get(), "nothing was translated for a refused stream");
    assertEquals(0, harness.server.registry().streamsFrom(InetAddress.getLoopbackAddress()));
    String metrics = harness.admin("/metrics");
    assertTrue(metrics.contains("\noutpost_connected_proxies 0\n"), metrics);
    assertTrue(metrics.contains("outpost_proxies_refused_total{reason=\"invalid_metadata\"} " + 2 * refused.size() + "\n"), metrics);
    assertEquals("200 [ ]", harness.admin("/debug/proxies").trim());

    // A real Envoy's node carries its list of extensions (tens of KiB): not metadata, not kept.
    Node.Builder envoyLike = good.toBuilder();
    for (int i = 0; i < 1000; i++) {
      envoyLike.addExtensions(Extension.newBuilder()
          .setName("envoy.filters.http.extension_number_" + i).setCategory("envoy.filters.http")
          .addTypeUrls("envoy.extensions.filters.http.extension_number_" + i + ".v3.Config"));
    }
    try (SotwClient envoy = harness.sotw(envoyLike.build())) {
      envoy.request(CDS, List.of());
      assertEquals(1, envoy.await(CDS).getResourcesCount());
      assertEquals(1, harness.server.publisher().groups().size());
    }
  }

  @Test
  void aNacksMessageIsKeptTruncated() throws Exception {
    try (SotwClient envoy = harness.sotw(AdsHarness.gatewayNode("egress-1", LABELS))) {
      envoy.request(CDS, List.of());
      DiscoveryResponse good = envoy.await(CDS);
      envoy.ack(good, List.of());
      harness.serve(Fixtures.egress(List.of("httpbin.org", "example.com"), 15));
      DiscoveryResponse rejected = envoy.await(CDS);
      envoy.nack(rejected, good.getVersionInfo(), List.of(), "e".repeat(200_000));

      String error = awaitNackError("egress-1");
      assertEquals("e".repeat(1024) + "… (198976 bytes truncated)", error);
    }
  }

  private String awaitNackError(String node) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      String reply = harness.admin("/debug/proxies");
      for (JsonNode proxy : new ObjectMapper().readTree(reply.substring(reply.indexOf(' ') + 1))) {
        if (proxy.path("node").asText().equals(node) && !proxy.path("lastNack").isNull()) {
          return proxy.path("lastNack").path("error").asText();
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("proxy " + node + " never showed a NACK");
  }

  private static Node withField(Node node, String key, Value value) {
    return node.toBuilder().setMetadata(node.getMetadata().toBuilder().putFields(key, value)).build();
  }
}
