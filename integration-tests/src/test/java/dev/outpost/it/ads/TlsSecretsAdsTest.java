package dev.outpost.it.ads;

import static dev.outpost.it.ads.SotwAdsTest.names;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import dev.outpost.it.support.ConfigFiles;
import dev.outpost.it.support.IssuedCertificate;
import dev.outpost.it.support.SecretManifest;
import dev.outpost.it.support.TestCa;
import dev.outpost.server.OutpostServer;
import dev.outpost.server.source.FileConfigSource;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kubernetes Secrets over SDS, end to end without Envoy: Secret manifests and Istio resources in a
 * watched directory → the real parser, translator, checker and ADS server → gRPC clients speaking
 * for gateways. Shows the issue's SDS rules where Envoy would see them: a proxy receives only
 * secrets its own config references and only from its own namespace; rotating a Secret pushes that
 * Secret and nothing else; a reference to a missing Secret drops just the cluster that needs it.
 */
class TlsSecretsAdsTest {
  private static final String CDS = Resources.V3.CLUSTER_TYPE_URL;
  private static final String LDS = Resources.V3.LISTENER_TYPE_URL;
  private static final String RDS = Resources.V3.ROUTE_TYPE_URL;
  private static final String SDS = Resources.V3.SECRET_TYPE_URL;

  private static final String HOST = "api.example.test";
  private static final String TLS_CLUSTER = "outbound|443||" + HOST;
  private static final String PLAIN_CLUSTER = "outbound|80||httpbin.org";
  private static final String CLIENT_CERT = "kubernetes://client-cert";
  private static final String CLIENT_CA = "kubernetes://client-cert-cacert";
  private static final Node GATEWAY = TlsResources.gatewayNode("egress-1.istio-system", "istio-system");
  /** Same labels, so the same Gateway applies, but in another namespace than the Secret. */
  private static final Node OTHER_NAMESPACE_GATEWAY = TlsResources.gatewayNode("egress-1.apps", "apps");

  private static final TestCa CA = TestCa.create("Upstream CA");



  @Test
  void gatewayGetsTheSecretOfItsOwnNamespaceAndAnotherNamespaceGetsNothing(@TempDir Path dir) throws Exception {
    IssuedCertificate client = CA.issueClient("egress-client");
    writeConfig(dir, "client-cert");
    ConfigFiles.replace(dir, "secrets.yaml", clientSecret(client));

    try (OutpostServer server = startServer();
        FileConfigSource source = new FileConfigSource(dir, server.publisher(), server.metrics());
        SotwClient gateway = new SotwClient(server.xdsPort(), GATEWAY);
        SotwClient other = new SotwClient(server.xdsPort(), OTHER_NAMESPACE_GATEWAY);
        DeltaClient otherDelta = new DeltaClient(server.xdsPort(), OTHER_NAMESPACE_GATEWAY)) {
      source.start();

      gateway.request(CDS, List.of());
      DiscoveryResponse cds = gateway.await(CDS);
      Cluster tls = cluster(cds, TLS_CLUSTER);
      assertEquals(List.of(CLIENT_CERT, CLIENT_CA), TlsResources.sdsNames(tls), "MUTUAL origination names Istio's SDS secrets");
      gateway.ack(cds, List.of());

      gateway.request(SDS, List.of(CLIENT_CERT, CLIENT_CA));
      Map<String, Secret> secrets = TlsResources.secrets(gateway.await(SDS).getResourcesList());
      assertEquals(List.of(CLIENT_CERT, CLIENT_CA), List.copyOf(secrets.keySet()));
      assertEquals(client.chainPem(), TlsResources.text(secrets.get(CLIENT_CERT).getTlsCertificate().getCertificateChain()));
      assertEquals(client.privateKeyPem(), TlsResources.text(secrets.get(CLIENT_CERT).getTlsCertificate().getPrivateKey()));
      assertEquals(CA.certificatePem(), TlsResources.text(secrets.get(CLIENT_CA).getValidationContext().getTrustedCa()));

      // The gateway in "apps" gets the Gateway and the route, but its namespace has no client-cert:
      // the cluster that needs it is not built, and asking for istio-system's secret by name yields nothing.
      other.request(CDS, List.of());
      DiscoveryResponse otherCds = other.await(CDS);
      assertFalse(names(otherCds, Cluster.class).contains(TLS_CLUSTER), names(otherCds, Cluster.class).toString());
      for (Cluster cluster : clusters(otherCds)) {
        assertEquals(List.of(), TlsResources.sdsNames(cluster), cluster.getName());
      }
      other.ack(otherCds, List.of());
      other.request(SDS, List.of(CLIENT_CERT, CLIENT_CA));
      assertNoSecretsWithin(other, 2000);

      otherDelta.subscribe(SDS, List.of(CLIENT_CERT, CLIENT_CA), Map.of());
      assertNoDeltaSecretsWithin(otherDelta, 2000);
    }
  }

  /**
   * The same Secret name in two namespaces: each gateway gets the one of its own namespace under the
   * same SDS name. The server caches per group (namespace included), so one never sees the other's.
   */
  @Test
  void sameSecretNameInTwoNamespacesEachGatewayGetsItsOwn(@TempDir Path dir) throws Exception {
    IssuedCertificate systemClient = CA.issueClient("istio-system-client");
    IssuedCertificate appsClient = CA.issueClient("apps-client");
    writeConfig(dir, "client-cert");
    ConfigFiles.replace(
        dir,
        "secrets.yaml",
        clientSecret(systemClient)
            + "---\n"
            + SecretManifest.keyPair("apps", "client-cert", appsClient).withCa(CA.certificate()).yaml());

    try (OutpostServer server = startServer();
        FileConfigSource source = new FileConfigSource(dir, server.publisher(), server.metrics());
        SotwClient system = new SotwClient(server.xdsPort(), GATEWAY);
        SotwClient apps = new SotwClient(server.xdsPort(), OTHER_NAMESPACE_GATEWAY)) {
      source.start();

      for (SotwClient gateway : List.of(system, apps)) {
        gateway.request(CDS, List.of());
        DiscoveryResponse cds = gateway.await(CDS);
        assertEquals(List.of(CLIENT_CERT, CLIENT_CA), TlsResources.sdsNames(cluster(cds, TLS_CLUSTER)));
        gateway.ack(cds, List.of());
        gateway.request(SDS, List.of(CLIENT_CERT, CLIENT_CA));
      }
      assertEquals(systemClient.chainPem(), chain(system.await(SDS), CLIENT_CERT));
      assertEquals(appsClient.chainPem(), chain(apps.await(SDS), CLIENT_CERT));
    }
  }

  @Test
  void rotatingTheSecretPushesOnlyTheSecretStateOfTheWorld(@TempDir Path dir) throws Exception {
    IssuedCertificate before = CA.issueClient("egress-client");
    IssuedCertificate after = CA.issueClient("egress-client");
    writeConfig(dir, "client-cert");
    ConfigFiles.replace(dir, "secrets.yaml", clientSecret(before));

    try (OutpostServer server = startServer();
        FileConfigSource source = new FileConfigSource(dir, server.publisher(), server.metrics());
        SotwClient gateway = new SotwClient(server.xdsPort(), GATEWAY)) {
      source.start();

      gateway.request(CDS, List.of());
      DiscoveryResponse cds = gateway.await(CDS);
      assertTrue(names(cds, Cluster.class).contains(TLS_CLUSTER), names(cds, Cluster.class).toString());
      gateway.ack(cds, List.of());
      gateway.request(LDS, List.of());
      DiscoveryResponse lds = gateway.await(LDS);
      gateway.ack(lds, List.of());
      gateway.request(RDS, List.of("http.80"));
      DiscoveryResponse rds = gateway.await(RDS);
      gateway.ack(rds, List.of("http.80"));
      gateway.request(SDS, List.of(CLIENT_CERT, CLIENT_CA));
      DiscoveryResponse sds = gateway.await(SDS);
      assertEquals(before.chainPem(), chain(sds, CLIENT_CERT));
      gateway.ack(sds, List.of(CLIENT_CERT, CLIENT_CA));

      ConfigFiles.replace(dir, "secrets.yaml", clientSecret(after));

      DiscoveryResponse rotated = gateway.await(SDS);
      assertNotEquals(sds.getVersionInfo(), rotated.getVersionInfo());
      assertEquals(after.chainPem(), chain(rotated, CLIENT_CERT));
      assertEquals(after.privateKeyPem(), TlsResources.text(
          TlsResources.secrets(rotated.getResourcesList()).get(CLIENT_CERT).getTlsCertificate().getPrivateKey()));
      gateway.ack(rotated, List.of(CLIENT_CERT, CLIENT_CA));
      // Same names, same listeners and clusters: nothing else is pushed, so Envoy drains nothing.
      gateway.assertNothingFor(CDS, 1500);
      gateway.assertNothingFor(LDS, 100);
      gateway.assertNothingFor(RDS, 100);
    }
  }

  @Test
  void rotatingTheSecretPushesOnlyTheChangedSecretDelta(@TempDir Path dir) throws Exception {
    IssuedCertificate before = CA.issueClient("egress-client");
    IssuedCertificate after = CA.issueClient("egress-client");
    writeConfig(dir, "client-cert");
    ConfigFiles.replace(dir, "secrets.yaml", clientSecret(before));

    try (OutpostServer server = startServer();
        FileConfigSource source = new FileConfigSource(dir, server.publisher(), server.metrics());
        DeltaClient gateway = new DeltaClient(server.xdsPort(), GATEWAY)) {
      source.start();

      gateway.subscribe(CDS, List.of(), Map.of());
      DeltaDiscoveryResponse cds = gateway.await(CDS);
      assertTrue(resourceNames(cds).contains(TLS_CLUSTER), resourceNames(cds).toString());
      gateway.ack(cds);
      gateway.subscribe(LDS, List.of(), Map.of());
      gateway.ack(gateway.await(LDS));
      gateway.subscribe(RDS, List.of("http.80"), Map.of());
      gateway.ack(gateway.await(RDS));
      gateway.subscribe(SDS, List.of(CLIENT_CERT, CLIENT_CA), Map.of());
      DeltaDiscoveryResponse sds = gateway.await(SDS);
      assertEquals(List.of(CLIENT_CERT, CLIENT_CA), resourceNames(sds).stream().sorted().toList());
      gateway.ack(sds);

      ConfigFiles.replace(dir, "secrets.yaml", clientSecret(after));

      DeltaDiscoveryResponse rotated = gateway.await(SDS);
      // The CA did not change, so only the key pair is sent.
      assertEquals(List.of(CLIENT_CERT), resourceNames(rotated));
      assertEquals(List.of(), rotated.getRemovedResourcesList());
      Secret secret = rotated.getResources(0).getResource().unpack(Secret.class);
      assertEquals(after.chainPem(), TlsResources.text(secret.getTlsCertificate().getCertificateChain()));
      gateway.ack(rotated);
      gateway.assertNothingFor(CDS, 1500);
      gateway.assertNothingFor(LDS, 100);
      gateway.assertNothingFor(RDS, 100);
    }
  }

  /** A gateway's own server certificate rotates the same way: the Secret is pushed, the listener is not. */
  @Test
  void rotatingAServerCertificatePushesOnlyTheSecret(@TempDir Path dir) throws Exception {
    IssuedCertificate before = CA.issueServer("secure.example.test");
    IssuedCertificate after = CA.issueServer("secure.example.test");
    writeConfig(dir, "client-cert");
    ConfigFiles.replace(dir, "secrets.yaml", clientSecret(CA.issueClient("egress-client")));
    ConfigFiles.replace(dir, "server-secret.yaml", SecretManifest.keyPair("istio-system", "server-cert", before).yaml());
    ConfigFiles.replace(
        dir,
        "https-server.yaml",
        """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: egress-https, namespace: istio-system}
        spec:
          selector: {istio: egressgateway}
          servers:
          - port: {number: 443, name: https, protocol: HTTPS}
            hosts: ["secure.example.test"]
            tls: {mode: SIMPLE, credentialName: server-cert}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: secure, namespace: istio-system}
        spec:
          hosts: [secure.example.test]
          gateways: [egress-https]
          http:
          - route:
            - destination: {host: httpbin.org, port: {number: 80}}
        """);

    try (OutpostServer server = startServer();
        FileConfigSource source = new FileConfigSource(dir, server.publisher(), server.metrics());
        SotwClient gateway = new SotwClient(server.xdsPort(), GATEWAY)) {
      source.start();

      gateway.request(CDS, List.of());
      gateway.ack(gateway.await(CDS), List.of());
      gateway.request(LDS, List.of());
      DiscoveryResponse lds = gateway.await(LDS);
      Listener https = listener(lds, "0.0.0.0_443");
      assertEquals(List.of("kubernetes://server-cert"), TlsResources.sdsNames(https));
      gateway.ack(lds, List.of());
      gateway.request(SDS, List.of("kubernetes://server-cert"));
      DiscoveryResponse sds = gateway.await(SDS);
      assertEquals(before.chainPem(), chain(sds, "kubernetes://server-cert"));
      gateway.ack(sds, List.of("kubernetes://server-cert"));

      ConfigFiles.replace(dir, "server-secret.yaml", SecretManifest.keyPair("istio-system", "server-cert", after).yaml());

      DiscoveryResponse rotated = gateway.await(SDS);
      assertEquals(after.chainPem(), chain(rotated, "kubernetes://server-cert"));
      gateway.ack(rotated, List.of("kubernetes://server-cert"));
      gateway.assertNothingFor(LDS, 1500);
      gateway.assertNothingFor(CDS, 100);
    }
  }

  @Test
  void missingSecretDropsOnlyTheClusterThatNeedsItAndTheRestIsServed(@TempDir Path dir) throws Exception {
    writeConfig(dir, "missing-cert");
    ConfigFiles.replace(dir, "secrets.yaml", clientSecret(CA.issueClient("egress-client")));

    try (OutpostServer server = startServer();
        FileConfigSource source = new FileConfigSource(dir, server.publisher(), server.metrics());
        SotwClient gateway = new SotwClient(server.xdsPort(), GATEWAY)) {
      source.start();

      gateway.request(CDS, List.of());
      DiscoveryResponse cds = gateway.await(CDS);
      List<String> clusterNames = names(cds, Cluster.class);
      assertTrue(clusterNames.contains(PLAIN_CLUSTER), clusterNames.toString());
      assertFalse(clusterNames.contains(TLS_CLUSTER), "fail closed: no cluster without its client certificate: " + clusterNames);
      for (Cluster cluster : clusters(cds)) {
        assertFalse(TlsResources.sdsNames(cluster).contains("kubernetes://missing-cert"), cluster.getName());
      }
      gateway.ack(cds, List.of());

      gateway.request(LDS, List.of());
      DiscoveryResponse lds = gateway.await(LDS);
      assertEquals(List.of("0.0.0.0_80"), names(lds, Listener.class));
      gateway.ack(lds, List.of());

      gateway.request(RDS, List.of("http.80"));
      RouteConfiguration routes = gateway.await(RDS).getResources(0).unpack(RouteConfiguration.class);
      assertTrue(
          routes.getVirtualHostsList().stream().anyMatch(v -> v.getDomainsList().contains("httpbin.org")),
          "the plaintext route is still served: " + routes);
      assertFalse(routes.toString().contains(TLS_CLUSTER), "no route to the dropped cluster: " + routes);

      gateway.request(SDS, List.of("kubernetes://missing-cert", "kubernetes://missing-cert-cacert"));
      assertNoSecretsWithin(gateway, 1500);
    }
  }

  @Test
  void missingServerCertificateDropsOnlyThatServer(@TempDir Path dir) throws Exception {
    writeConfig(dir, "client-cert");
    ConfigFiles.replace(dir, "secrets.yaml", clientSecret(CA.issueClient("egress-client")));
    ConfigFiles.replace(
        dir,
        "https-server.yaml",
        """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: egress-https, namespace: istio-system}
        spec:
          selector: {istio: egressgateway}
          servers:
          - port: {number: 443, name: https, protocol: HTTPS}
            hosts: ["secure.example.test"]
            tls: {mode: SIMPLE, credentialName: missing-server-cert}
        """);

    try (OutpostServer server = startServer();
        FileConfigSource source = new FileConfigSource(dir, server.publisher(), server.metrics());
        SotwClient gateway = new SotwClient(server.xdsPort(), GATEWAY)) {
      source.start();

      gateway.request(LDS, List.of());
      DiscoveryResponse lds = gateway.await(LDS);
      List<String> listenerNames = names(lds, Listener.class);
      assertTrue(listenerNames.contains("0.0.0.0_80"), listenerNames.toString());
      for (Any listener : lds.getResourcesList()) {
        Listener unpacked = listener.unpack(Listener.class);
        assertFalse(
            TlsResources.sdsNames(unpacked).contains("kubernetes://missing-server-cert"),
            "fail closed: no server without its certificate: " + unpacked.getName());
        if (unpacked.getName().equals("0.0.0.0_443")) {
          assertTrue(unpacked.getFilterChainsCount() > 0, "a listener is emitted only with a usable filter chain");
        }
      }
      gateway.ack(lds, List.of());

      gateway.request(CDS, List.of());
      assertTrue(names(gateway.await(CDS), Cluster.class).contains(TLS_CLUSTER), "the rest of the config is served");
    }
  }

  private static OutpostServer startServer() throws java.io.IOException {
    return OutpostServer.start(new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("127.0.0.1", 0));
  }

  private static List<Cluster> clusters(DiscoveryResponse cds) throws Exception {
    List<Cluster> clusters = new ArrayList<>();
    for (Any any : cds.getResourcesList()) {
      clusters.add(any.unpack(Cluster.class));
    }
    return clusters;
  }

  private static Listener listener(DiscoveryResponse lds, String name) throws Exception {
    List<String> served = names(lds, Listener.class);
    for (Any any : lds.getResourcesList()) {
      Listener listener = any.unpack(Listener.class);
      if (listener.getName().equals(name)) {
        return listener;
      }
    }
    throw new AssertionError(name + " not served; got " + served);
  }

  private static Cluster cluster(DiscoveryResponse cds, String name) throws Exception {
    List<String> served = names(cds, Cluster.class);
    return clusters(cds).stream()
        .filter(c -> c.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + " not served; got " + served));
  }

  private static String chain(DiscoveryResponse sds, String name) throws Exception {
    Secret secret = TlsResources.secrets(sds.getResourcesList()).get(name);
    assertTrue(secret != null, name + " not in " + TlsResources.secrets(sds.getResourcesList()).keySet());
    return TlsResources.text(secret.getTlsCertificate().getCertificateChain());
  }

  private static List<String> resourceNames(DeltaDiscoveryResponse response) {
    return response.getResourcesList().stream().map(Resource::getName).toList();
  }

  /** A proxy that may not have a secret gets either no SDS answer or an empty one, never the secret. */
  private static void assertNoSecretsWithin(SotwClient client, long millis) throws Exception {
    long deadline = System.currentTimeMillis() + millis;
    DiscoveryResponse response;
    while ((response = client.poll(SDS, Math.max(1, deadline - System.currentTimeMillis()))) != null) {
      assertEquals(Map.of(), TlsResources.secrets(response.getResourcesList()), "secrets this proxy may not read");
    }
  }

  private static void assertNoDeltaSecretsWithin(DeltaClient client, long millis) throws Exception {
    long deadline = System.currentTimeMillis() + millis;
    DeltaDiscoveryResponse response;
    while ((response = client.poll(SDS, Math.max(1, deadline - System.currentTimeMillis()))) != null) {
      assertEquals(List.of(), resourceNames(response), "secrets this proxy may not read");
    }
  }

  /**
   * The Istio egress guide's mTLS origination: plain HTTP on the gateway's port 80, routed to the
   * external host's port 443, where the DestinationRule originates mutual TLS with the client
   * certificate in Secret {@code credentialName}; plus a plaintext service that needs no secret.
   */
  private static void writeConfig(Path dir, String credentialName) throws Exception {
    ConfigFiles.replace(
        dir,
        "egress.yaml",
        """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: egress, namespace: istio-system}
        spec:
          selector: {istio: egressgateway}
          servers:
          - port: {number: 80, name: http, protocol: HTTP}
            hosts: ["*"]
        ---
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: api, namespace: istio-system}
        spec:
          hosts: [%1$s]
          resolution: DNS
          ports:
          - {number: 80, name: http, protocol: HTTP}
          - {number: 443, name: https, protocol: HTTPS}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: api, namespace: istio-system}
        spec:
          hosts: [%1$s]
          gateways: [egress]
          http:
          - route:
            - destination: {host: %1$s, port: {number: 443}}
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: originate-mtls, namespace: istio-system}
        spec:
          host: %1$s
          trafficPolicy:
            portLevelSettings:
            - port: {number: 443}
              tls: {mode: MUTUAL, credentialName: %2$s, sni: %1$s}
        ---
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: httpbin, namespace: istio-system}
        spec:
          hosts: [httpbin.org]
          resolution: DNS
          ports:
          - {number: 80, name: http, protocol: HTTP}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: httpbin, namespace: istio-system}
        spec:
          hosts: [httpbin.org]
          gateways: [egress]
          http:
          - route:
            - destination: {host: httpbin.org, port: {number: 80}}
        """
            .formatted(HOST, credentialName));
  }

  /** Istio's one-Secret layout for MUTUAL: key pair and CA in {@code client-cert}. */
  private static String clientSecret(IssuedCertificate client) {
    return SecretManifest.keyPair("istio-system", "client-cert", client).withCa(CA.certificate()).yaml();
  }
}
