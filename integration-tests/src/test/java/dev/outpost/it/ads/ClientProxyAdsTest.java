package dev.outpost.it.ads;

import static dev.outpost.it.ads.SotwAdsTest.names;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.outpost.server.OutpostServer;
import dev.outpost.server.ca.MeshCa;
import dev.outpost.server.ca.SelfSignedCaDirectory;
import dev.outpost.server.source.FileConfigSource;
import dev.outpost.translator.api.MeshSecrets;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client proxy and its egress gateway on one real server, fed by a watched directory of the
 * egress guide's manifests: the client (ROLE=client) gets its HTTP proxy listener, the mesh half
 * of the VirtualService routed to the gateway over ISTIO_MUTUAL, and its own mesh certificate; the
 * gateway, on the same server, gets the gateway half and nothing of the client's.
 */
class ClientProxyAdsTest {
  private static final String CDS = Resources.V3.CLUSTER_TYPE_URL;
  private static final String LDS = Resources.V3.LISTENER_TYPE_URL;
  private static final String RDS = Resources.V3.ROUTE_TYPE_URL;
  private static final String SDS = Resources.V3.SECRET_TYPE_URL;
  private static final String TO_GATEWAY =
      "outbound|80||istio-egressgateway.istio-system.svc.cluster.local";
  private static final List<String> MESH = List.of(MeshSecrets.CERTIFICATE, MeshSecrets.TRUST_BUNDLE);

  @Test
  void theClientRoutesTheMeshHalfToTheGatewayOverMeshTlsWithItsOwnCertificate(@TempDir Path tmp)
      throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("config"));
    Files.writeString(dir.resolve("egress.yaml"), EGRESS_YAML);
    MeshCa ca =
        MeshCa.load(
            new SelfSignedCaDirectory(tmp.resolve("ca"), "cluster.local"),
            "cluster.local",
            Clock.systemUTC().instant());

    try (OutpostServer server =
            OutpostServer.start(
                new InetSocketAddress("127.0.0.1", 0),
                new InetSocketAddress("127.0.0.1", 0),
                ca,
                Duration.ofHours(24),
                Clock.systemUTC());
        FileConfigSource source = new FileConfigSource(dir, server.publisher(), server.metrics());
        SotwClient client = new SotwClient(server.xdsPort(), clientNode());
        SotwClient gateway =
            new SotwClient(
                server.xdsPort(),
                AdsHarness.gatewayNode("egress-1.istio-system", Map.of("istio", "egressgateway")))) {
      source.start();

      client.request(CDS, List.of());
      DiscoveryResponse cds = client.await(CDS);
      assertEquals(
          List.of("BlackHoleCluster", "outbound|80||api.example.com", TO_GATEWAY),
          names(cds, Cluster.class));
      Cluster toGateway = cluster(cds, TO_GATEWAY);
      UpstreamTlsContext mtls =
          toGateway.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class);
      assertEquals(
          MeshSecrets.CERTIFICATE,
          mtls.getCommonTlsContext().getTlsCertificateSdsSecretConfigs(0).getName(),
          "the client presents its own mesh certificate to the gateway");
      assertEquals(
          "spiffe://cluster.local/ns/istio-system/sa/istio-egressgateway",
          mtls.getCommonTlsContext()
              .getCombinedValidationContext()
              .getDefaultValidationContext()
              .getMatchTypedSubjectAltNames(0)
              .getMatcher()
              .getExact(),
          "and accepts only the gateway's identity");
      client.ack(cds, List.of());

      client.request(LDS, List.of());
      DiscoveryResponse lds = client.await(LDS);
      assertEquals(List.of("127.0.0.1_15080"), names(lds, Listener.class));
      client.ack(lds, List.of());

      client.request(RDS, List.of("http_proxy"));
      DiscoveryResponse rds = client.await(RDS);
      RouteConfiguration routes = rds.getResources(0).unpack(RouteConfiguration.class);
      assertEquals(
          List.of("api.example.com:80", "block_all", "edition.cnn.com:80",
              "istio-egressgateway.istio-system.svc.cluster.local:80"),
          routes.getVirtualHostsList().stream().map(VirtualHost::getName).sorted().toList());
      VirtualHost cnn =
          routes.getVirtualHostsList().stream()
              .filter(v -> v.getName().equals("edition.cnn.com:80"))
              .findFirst()
              .orElseThrow();
      assertEquals(TO_GATEWAY, cnn.getRoutes(0).getRoute().getCluster());
      client.ack(rds, List.of("http_proxy"));

      client.request(SDS, MESH);
      DiscoveryResponse sds = client.await(SDS);
      Secret certificate =
          sds.getResourcesList().stream()
              .map(a -> unpack(a))
              .filter(s -> s.getName().equals(MeshSecrets.CERTIFICATE))
              .findFirst()
              .orElseThrow();
      X509Certificate leaf =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(
                      new ByteArrayInputStream(
                          certificate.getTlsCertificate().getCertificateChain().getInlineBytes().toByteArray()));
      assertTrue(
          leaf.getSubjectAlternativeNames().stream()
              .anyMatch(san -> "spiffe://cluster.local/ns/apps/sa/sleep".equals(san.get(1))),
          "the client's certificate names its own workload: " + leaf.getSubjectAlternativeNames());

      gateway.request(LDS, List.of());
      DiscoveryResponse gatewayListeners = gateway.await(LDS);
      assertEquals(List.of("0.0.0.0_80"), names(gatewayListeners, Listener.class));
      gateway.request(CDS, List.of());
      assertEquals(
          List.of("BlackHoleCluster", "outbound|80||edition.cnn.com"),
          names(gateway.await(CDS), Cluster.class),
          "the gateway gets the gateway half only");
    }
  }

  private static Secret unpack(com.google.protobuf.Any any) {
    try {
      return any.unpack(Secret.class);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  private static Cluster cluster(DiscoveryResponse cds, String name) throws Exception {
    for (var any : cds.getResourcesList()) {
      Cluster cluster = any.unpack(Cluster.class);
      if (cluster.getName().equals(name)) {
        return cluster;
      }
    }
    throw new AssertionError("no cluster " + name);
  }

  private static Node clientNode() {
    return Node.newBuilder()
        .setId("sleep-1.apps")
        .setCluster("sleep.apps")
        .setMetadata(
            Struct.newBuilder()
                .putFields("NAMESPACE", Value.newBuilder().setStringValue("apps").build())
                .putFields("ROLE", Value.newBuilder().setStringValue("client").build())
                .putFields("SERVICE_ACCOUNT", Value.newBuilder().setStringValue("sleep").build())
                .putFields(
                    "LABELS",
                    Value.newBuilder()
                        .setStructValue(
                            Struct.newBuilder()
                                .putFields("app", Value.newBuilder().setStringValue("sleep").build()))
                        .build()))
        .build();
  }

  /** Istio's "egress gateway for HTTP traffic", with the gateway's own service declared. */
  private static final String EGRESS_YAML =
      """
      apiVersion: networking.istio.io/v1
      kind: ServiceEntry
      metadata: {name: cnn, namespace: apps}
      spec:
        hosts: [edition.cnn.com]
        ports: [{number: 80, name: http, protocol: HTTP}]
        resolution: DNS
      ---
      apiVersion: networking.istio.io/v1
      kind: ServiceEntry
      metadata: {name: api, namespace: apps}
      spec:
        hosts: [api.example.com]
        ports: [{number: 80, name: http, protocol: HTTP}]
        resolution: DNS
      ---
      apiVersion: networking.istio.io/v1
      kind: ServiceEntry
      metadata: {name: egressgateway, namespace: istio-system}
      spec:
        hosts: [istio-egressgateway.istio-system.svc.cluster.local]
        ports: [{number: 80, name: http, protocol: HTTP}]
        resolution: STATIC
        endpoints:
        - address: 127.0.0.1
          labels: {istio: egressgateway}
          serviceAccount: istio-egressgateway
      ---
      apiVersion: networking.istio.io/v1
      kind: Gateway
      metadata: {name: istio-egressgateway, namespace: istio-system}
      spec:
        selector: {istio: egressgateway}
        servers:
        - port: {number: 80, name: https, protocol: HTTPS}
          hosts: [edition.cnn.com]
          tls: {mode: ISTIO_MUTUAL}
      ---
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata: {name: cnn, namespace: apps}
      spec:
        hosts: [edition.cnn.com]
        gateways: [istio-system/istio-egressgateway, mesh]
        http:
        - match: [{gateways: [mesh], port: 80}]
          route: [{destination: {host: istio-egressgateway.istio-system.svc.cluster.local, port: {number: 80}}}]
        - match: [{gateways: [istio-system/istio-egressgateway], port: 80}]
          route: [{destination: {host: edition.cnn.com, port: {number: 80}}}]
      """;
}
