package dev.outpost.it.ads;

import static dev.outpost.it.ads.SotwAdsTest.names;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.outpost.server.OutpostServer;
import dev.outpost.server.source.FileConfigSource;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline without Envoy: Istio YAML in a watched directory → the real parser,
 * translator and checker → the real ADS server → a gRPC client speaking for a gateway. Edits to
 * the directory reach the client; a broken edit does not take away what was working.
 */
class FileSourceToAdsTest {
  private static final String CDS = Resources.V3.CLUSTER_TYPE_URL;
  private static final String LDS = Resources.V3.LISTENER_TYPE_URL;
  private static final String RDS = Resources.V3.ROUTE_TYPE_URL;
  private static final Node GATEWAY = AdsHarness.gatewayNode("egress-1.istio-system", Map.of("istio", "egressgateway"));

  @Test
  void manifestsInADirectoryReachTheGatewayAndEditsArePushed(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("gateway.yaml"), GATEWAY_YAML);
    Files.writeString(dir.resolve("httpbin.yaml"), external("httpbin", "httpbin.org"));

    try (OutpostServer server =
            OutpostServer.start(new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("127.0.0.1", 0));
        FileConfigSource source = new FileConfigSource(dir, server.publisher(), server.metrics());
        SotwClient envoy = new SotwClient(server.xdsPort(), GATEWAY)) {
      source.start();

      envoy.request(CDS, List.of());
      DiscoveryResponse cds = envoy.await(CDS);
      assertEquals(List.of("BlackHoleCluster", "outbound|80||httpbin.org"), names(cds, Cluster.class));
      envoy.ack(cds, List.of());

      envoy.request(LDS, List.of());
      DiscoveryResponse lds = envoy.await(LDS);
      assertEquals(List.of("0.0.0.0_80"), names(lds, Listener.class));
      envoy.ack(lds, List.of());

      envoy.request(RDS, List.of("http.80"));
      DiscoveryResponse rds = envoy.await(RDS);
      RouteConfiguration routes = rds.getResources(0).unpack(RouteConfiguration.class);
      assertEquals("http.80", routes.getName());
      // The server's "*" host has no route of its own: an empty virtual host, so Envoy answers 404.
      assertEquals(List.of("*:80", "httpbin.org:80"), routes.getVirtualHostsList().stream().map(v -> v.getName()).toList());
      envoy.ack(rds, List.of("http.80"));

      // A second external service appears: the watcher picks it up and pushes new clusters.
      Files.writeString(dir.resolve("example.yaml"), external("example", "api.example.com"));
      DiscoveryResponse grown = envoy.await(CDS);
      assertEquals(
          List.of("BlackHoleCluster", "outbound|80||api.example.com", "outbound|80||httpbin.org"),
          names(grown, Cluster.class));
      envoy.ack(grown, List.of());

      // Breaking a file keeps its last good version: nothing is withdrawn from the gateway.
      Files.writeString(dir.resolve("example.yaml"), external("example", "api.example.com").replace("number: 80", "number: 99999"));
      envoy.assertNothingFor(CDS, 1500);
    }
  }

  private static final String GATEWAY_YAML =
      """
      apiVersion: networking.istio.io/v1
      kind: Gateway
      metadata: {name: egress, namespace: istio-system}
      spec:
        selector: {istio: egressgateway}
        servers:
        - port: {number: 80, name: http, protocol: HTTP}
          hosts: ["*"]
      """;

  private static String external(String name, String host) {
    return """
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: %1$s, namespace: istio-system}
        spec:
          hosts: [%2$s]
          resolution: DNS
          ports:
          - number: 80
            name: http
            protocol: HTTP
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: %1$s, namespace: istio-system}
        spec:
          hosts: [%2$s]
          gateways: [egress]
          http:
          - route:
            - destination: {host: %2$s, port: {number: 80}}
        """
        .formatted(name, host);
  }
}
