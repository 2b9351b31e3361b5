package dev.outpost.it.ads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.outpost.server.OutpostServer;
import dev.outpost.server.ca.MeshCa;
import dev.outpost.server.ca.SelfSignedCaDirectory;
import dev.outpost.server.ca.WorkloadCertificate;
import dev.outpost.server.source.FileConfigSource;
import dev.outpost.server.xds.SecretReferences;
import dev.outpost.translator.api.EnvoyResources;
import dev.outpost.translator.api.MeshSecrets;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A proxy gets its own namespace's secrets and its own mesh identity, and nothing else, however it
 * asks: SDS by name (state of the world and delta), wildcard, names its config never references,
 * and a delta reconnect that claims to hold another namespace's secret. The whole pipeline runs:
 * Secret and Istio YAML in a watched directory, the real parser, translator, checker, mesh CA and
 * ADS server, and a gRPC client speaking for the proxy.
 *
 * <p>Two namespaces, {@code shop} and {@code bank}, each with a gateway that terminates TLS with
 * its own Secret, and each with a Secret named {@code shared} of different content. What this
 * cannot prove: that the proxy <em>is</em> who its node metadata says. In file mode the metadata
 * is trusted (see xds-server/README.md, "Security").
 */
class SecretIsolationAdsTest {
  private static final String CDS = Resources.V3.CLUSTER_TYPE_URL;
  private static final String LDS = Resources.V3.LISTENER_TYPE_URL;
  private static final String SDS = Resources.V3.SECRET_TYPE_URL;
  private static final String SHOP_CERT = "kubernetes://shop-cert";
  private static final String BANK_CERT = "kubernetes://bank-cert";
  private static final String SHARED = "kubernetes://shared";
  private static final List<String> EVERY_NAME =
      List.of(SHOP_CERT, BANK_CERT, SHARED, MeshSecrets.CERTIFICATE, MeshSecrets.TRUST_BUNDLE, "*");

  @TempDir Path tmp;
  private OutpostServer server;
  private FileConfigSource source;
  /** Private key PEM of each Secret, by "namespace/name". */
  private final Map<String, String> keys = new TreeMap<>();

  @BeforeEach
  void start() throws Exception {
    Instant now = Instant.now();
    // The certificates in the Secrets come from a CA of their own, not the mesh CA.
    MeshCa testCa = MeshCa.load(new SelfSignedCaDirectory(tmp.resolve("test-ca"), "example.org"), "example.org", now);
    Path config = Files.createDirectories(tmp.resolve("config"));
    StringBuilder yaml = new StringBuilder();
    for (String[] secret : new String[][] {{"shop", "shop-cert"}, {"shop", "shared"}, {"bank", "bank-cert"}, {"bank", "shared"}}) {
      WorkloadCertificate issued = testCa.issue(testCa.spiffeId(secret[0], secret[1]), Duration.ofDays(60), now);
      keys.put(secret[0] + "/" + secret[1], issued.keyPem());
      yaml.append(secretYaml(secret[0], secret[1], issued.fullChainPem(), issued.keyPem()));
    }
    yaml.append(gatewayYaml("shop", "shop-cert")).append(gatewayYaml("bank", "bank-cert"));
    Files.writeString(config.resolve("config.yaml"), yaml);

    MeshCa meshCa = MeshCa.load(new SelfSignedCaDirectory(tmp.resolve("mesh-ca"), "cluster.local"), "cluster.local", now);
    server = OutpostServer.start(
        new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("127.0.0.1", 0), meshCa, Duration.ofHours(24), Clock.systemUTC());
    source = new FileConfigSource(config, server.publisher(), server.metrics());
    source.start();
  }

  @AfterEach
  void stop() throws Exception {
    source.close();
    server.close();
  }

  @Test
  void sotwByNameGetsOnlyTheProxysOwnNamespaceSecrets() throws Exception {
    try (SotwClient shop = new SotwClient(server.xdsPort(), node("shop-gw-1", "shop", "shop-gw", "shop-gw"))) {
      shop.request(SDS, EVERY_NAME);
      Map<String, Secret> got = secrets(shop.await(SDS).getResourcesList());
      assertEquals(Set.of(SHOP_CERT, SHARED, MeshSecrets.CERTIFICATE, MeshSecrets.TRUST_BUNDLE), got.keySet(),
          "bank's Secret is not served to shop's gateway, whatever it asks for");
      assertEquals(keys.get("shop/shop-cert"), key(got.get(SHOP_CERT)));
      assertEquals(keys.get("shop/shared"), key(got.get(SHARED)), "a same-named Secret comes from the proxy's namespace");
      assertEquals("spiffe://cluster.local/ns/shop/sa/shop-gw", spiffeId(got.get(MeshSecrets.CERTIFICATE)));

      // Its debug dump: its own secrets by name, every key redacted, nothing of bank's.
      var response = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(
              "http://127.0.0.1:" + server.adminPort() + "/debug/config_dump?node=shop-gw-1")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      String dump = response.body();
      assertEquals(200, response.statusCode(), dump);
      assertTrue(dump.contains("\"name\": \"" + SHOP_CERT + "\""), dump);
      assertFalse(dump.contains(BANK_CERT), dump);
      assertEquals(3, dump.split("\\[redacted\\]", -1).length - 1, "shop-cert, shared, default: " + dump);
      List<String> served = new java.util.ArrayList<>(keys.values());
      served.add(key(got.get(MeshSecrets.CERTIFICATE)));
      for (String key : served) {
        String body = key.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
        String base64 = java.util.Base64.getEncoder().encodeToString(key.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertFalse(dump.contains(body.substring(0, 30)) || dump.contains(base64.substring(0, 40)), "a private key in " + dump);
      }
    }
  }

  @Test
  void sotwWildcardGetsOnlyWhatTheProxysConfigReferences() throws Exception {
    try (SotwClient shop = new SotwClient(server.xdsPort(), node("shop-gw-1", "shop", "shop-gw", "shop-gw"))) {
      EnvoyResources config = listenersAndClusters(shop);
      shop.request(SDS, List.of());
      Map<String, Secret> got = secrets(shop.await(SDS).getResourcesList());
      assertEquals(SecretReferences.of(config), Set.copyOf(got.keySet()),
          "the wildcard answer is exactly the secrets the proxy's listeners and clusters reference");
      assertFalse(got.containsKey(BANK_CERT));
      assertNoKeyOfNamespace("bank", got);
    }
  }

  @Test
  void aProxyThatMatchesAnotherNamespacesGatewayGetsNeitherItsSecretNorAListenerWaitingForIt() throws Exception {
    // A bank proxy with the labels of shop's gateway: Istio applies shop's Gateway to it (a Gateway
    // selects proxies in any namespace), but credentialName resolves in the proxy's namespace.
    try (SotwClient intruder = new SotwClient(server.xdsPort(), node("intruder", "bank", "bank-gw", "shop-gw"))) {
      EnvoyResources config = listenersAndClusters(intruder);
      assertFalse(SecretReferences.of(config).contains(SHOP_CERT),
          "the server whose Secret is not in the proxy's namespace is not emitted (fail closed)");
      intruder.request(SDS, EVERY_NAME);
      Map<String, Secret> got = secrets(intruder.await(SDS).getResourcesList());
      assertFalse(got.containsKey(SHOP_CERT), got.keySet().toString());
      assertNoKeyOfNamespace("shop", got);
      assertEquals(keys.get("bank/shared"), key(got.get(SHARED)), "its own namespace's Secret of that name");
      assertEquals("spiffe://cluster.local/ns/bank/sa/bank-gw", spiffeId(got.get(MeshSecrets.CERTIFICATE)),
          "the mesh certificate is for the proxy's own identity, not the Gateway's namespace");
      // Every SDS name its config references is served: nothing waits forever.
      assertTrue(got.keySet().containsAll(SecretReferences.of(config)), got.keySet() + " vs " + SecretReferences.of(config));
    }
  }

  @Test
  void sameNamespaceOtherServiceAccountGetsItsOwnMeshCertificate() throws Exception {
    try (SotwClient first = new SotwClient(server.xdsPort(), node("shop-gw-1", "shop", "shop-gw", "shop-gw"));
        SotwClient second = new SotwClient(server.xdsPort(), node("shop-gw-2", "shop", "other-sa", "shop-gw"))) {
      first.request(SDS, List.of(MeshSecrets.CERTIFICATE));
      second.request(SDS, List.of(MeshSecrets.CERTIFICATE));
      Secret mine = secrets(first.await(SDS).getResourcesList()).get(MeshSecrets.CERTIFICATE);
      Secret theirs = secrets(second.await(SDS).getResourcesList()).get(MeshSecrets.CERTIFICATE);
      assertEquals("spiffe://cluster.local/ns/shop/sa/shop-gw", spiffeId(mine));
      assertEquals("spiffe://cluster.local/ns/shop/sa/other-sa", spiffeId(theirs));
      assertFalse(key(mine).equals(key(theirs)));
    }
  }

  @Test
  void deltaSubscribeByNameAndWildcardGetOnlyOwnSecrets() throws Exception {
    try (DeltaClient shop = new DeltaClient(server.xdsPort(), node("shop-gw-1", "shop", "shop-gw", "shop-gw"))) {
      shop.subscribe(SDS, EVERY_NAME, Map.of());
      DeltaDiscoveryResponse response = shop.await(SDS);
      Map<String, Secret> got = deltaSecrets(response);
      assertEquals(Set.of(SHOP_CERT, SHARED, MeshSecrets.CERTIFICATE, MeshSecrets.TRUST_BUNDLE), got.keySet());
      assertEquals(keys.get("shop/shared"), key(got.get(SHARED)));
      assertNoKeyOfNamespace("bank", got);
      shop.ack(response);
      shop.assertNothingFor(SDS, 300);
    }
  }

  @Test
  void aStreamCannotSwitchIdentityByNamingAnotherNodeLater() throws Exception {
    Node bank = node("bank-gw-1", "bank", "bank-gw", "bank-gw");
    try (SotwClient sotw = new SotwClient(server.xdsPort(), node("shop-gw-1", "shop", "shop-gw", "shop-gw"));
        DeltaClient delta = new DeltaClient(server.xdsPort(), node("shop-gw-2", "shop", "shop-gw", "shop-gw"))) {
      sotw.request(LDS, List.of());
      sotw.await(LDS);
      sotw.requestAs(bank, SDS, EVERY_NAME);
      Map<String, Secret> got = secrets(sotw.await(SDS).getResourcesList());
      assertFalse(got.containsKey(BANK_CERT), got.keySet().toString());
      assertEquals(keys.get("shop/shared"), key(got.get(SHARED)));

      delta.subscribe(LDS, List.of(), Map.of());
      delta.await(LDS);
      delta.subscribeAs(bank, SDS, EVERY_NAME);
      Map<String, Secret> deltaGot = deltaSecrets(delta.await(SDS));
      assertFalse(deltaGot.containsKey(BANK_CERT), deltaGot.keySet().toString());
      assertEquals(keys.get("shop/shared"), key(deltaGot.get(SHARED)));
      assertEquals("spiffe://cluster.local/ns/shop/sa/shop-gw", spiffeId(deltaGot.get(MeshSecrets.CERTIFICATE)));
    }
  }

  @Test
  void deltaReconnectClaimingAnotherNamespacesSecretGetsARemovalNotTheSecret() throws Exception {
    // A proxy that says it already holds bank's Secret, at some version, and an outdated shop-cert.
    try (DeltaClient shop = new DeltaClient(server.xdsPort(), node("shop-gw-1", "shop", "shop-gw", "shop-gw"))) {
      shop.subscribe(SDS, List.of(SHOP_CERT), Map.of(BANK_CERT, "0123456789abcdef", SHOP_CERT, "stale"));
      DeltaDiscoveryResponse response = shop.await(SDS);
      Map<String, Secret> got = deltaSecrets(response);
      assertEquals(Set.of(SHOP_CERT), got.keySet());
      assertEquals(keys.get("shop/shop-cert"), key(got.get(SHOP_CERT)));
      assertEquals(List.of(BANK_CERT), response.getRemovedResourcesList(),
          "a name this proxy's snapshot does not have is removed, never filled in");
    }
  }

  @Test
  void deltaReconnectWithoutSubscribingStillGetsNothingOfAnotherNamespace() throws Exception {
    try (DeltaClient bank = new DeltaClient(server.xdsPort(), node("bank-gw-1", "bank", "bank-gw", "bank-gw"))) {
      bank.subscribe(SDS, List.of(), Map.of(SHOP_CERT, "x", SHARED, "x", MeshSecrets.CERTIFICATE, "x"));
      DeltaDiscoveryResponse response = bank.await(SDS);
      Map<String, Secret> got = deltaSecrets(response);
      assertEquals(Set.of(SHARED, MeshSecrets.CERTIFICATE), got.keySet(), "only what it claimed and its snapshot has");
      assertEquals(keys.get("bank/shared"), key(got.get(SHARED)));
      assertEquals("spiffe://cluster.local/ns/bank/sa/bank-gw", spiffeId(got.get(MeshSecrets.CERTIFICATE)));
      assertEquals(List.of(SHOP_CERT), response.getRemovedResourcesList());
    }
  }

  // --- helpers ---

  /** Fetches LDS and CDS (wildcard) and returns them as resources, to compute their SDS references. */
  private static EnvoyResources listenersAndClusters(SotwClient client) throws Exception {
    client.request(LDS, List.of());
    DiscoveryResponse lds = client.await(LDS);
    client.request(CDS, List.of());
    DiscoveryResponse cds = client.await(CDS);
    ImmutableList.Builder<Listener> listeners = ImmutableList.builder();
    for (Any any : lds.getResourcesList()) {
      listeners.add(any.unpack(Listener.class));
    }
    ImmutableList.Builder<Cluster> clusters = ImmutableList.builder();
    for (Any any : cds.getResourcesList()) {
      clusters.add(any.unpack(Cluster.class));
    }
    return new EnvoyResources(listeners.build(), ImmutableList.of(), clusters.build(), ImmutableList.of(), ImmutableList.of());
  }

  private void assertNoKeyOfNamespace(String namespace, Map<String, Secret> got) {
    for (Map.Entry<String, String> key : keys.entrySet()) {
      if (key.getKey().startsWith(namespace + "/")) {
        for (Secret secret : got.values()) {
          assertFalse(key(secret).equals(key.getValue()), "the key of " + key.getKey() + " was served as " + secret.getName());
        }
      }
    }
  }

  static String key(Secret secret) {
    return secret.getTlsCertificate().getPrivateKey().getInlineBytes().toStringUtf8();
  }

  static String spiffeId(Secret secret) throws Exception {
    X509Certificate leaf = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
        new ByteArrayInputStream(secret.getTlsCertificate().getCertificateChain().getInlineBytes().toByteArray()));
    return (String) List.copyOf(leaf.getSubjectAlternativeNames()).get(0).get(1);
  }

  static Map<String, Secret> secrets(List<Any> resources) throws Exception {
    Map<String, Secret> out = new TreeMap<>();
    for (Any any : resources) {
      Secret secret = any.unpack(Secret.class);
      out.put(secret.getName(), secret);
    }
    return out;
  }

  static Map<String, Secret> deltaSecrets(DeltaDiscoveryResponse response) throws Exception {
    return secrets(response.getResourcesList().stream().map(Resource::getResource).toList());
  }

  static Node node(String id, String namespace, String serviceAccount, String appLabel) {
    return Node.newBuilder()
        .setId(id)
        .setMetadata(
            Struct.newBuilder()
                .putFields("NAMESPACE", Value.newBuilder().setStringValue(namespace).build())
                .putFields("ROLE", Value.newBuilder().setStringValue("gateway").build())
                .putFields("SERVICE_ACCOUNT", Value.newBuilder().setStringValue(serviceAccount).build())
                .putFields("LABELS", Value.newBuilder().setStructValue(Struct.newBuilder().putFields(
                    "app", Value.newBuilder().setStringValue(appLabel).build())).build()))
        .build();
  }

  static String secretYaml(String namespace, String name, String chainPem, String keyPem) {
    return """
        apiVersion: v1
        kind: Secret
        metadata: {name: %s, namespace: %s}
        type: kubernetes.io/tls
        stringData:
          tls.crt: |
        %s
          tls.key: |
        %s
        ---
        """.formatted(name, namespace, indent(chainPem), indent(keyPem));
  }

  static String indent(String pem) {
    return pem.lines().map(line -> "    " + line).reduce((a, b) -> a + "\n" + b).orElse("");
  }

  /**
   * A gateway in {@code namespace} for proxies labelled app={@code namespace}-gw: HTTPS with its
   * own Secret on 443, with the Secret named "shared" on 8443, and mesh mTLS (ISTIO_MUTUAL) on
   * 15443.
   */
  static String gatewayYaml(String namespace, String credential) {
    return """
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: api, namespace: %1$s}
        spec:
          hosts: [api.%1$s.example]
          ports:
          - {number: 80, name: http, protocol: HTTP}
          resolution: DNS
        ---
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: %1$s}
        spec:
          selector: {app: %1$s-gw}
          servers:
          - port: {number: 443, name: https, protocol: HTTPS}
            hosts: [api.%1$s.example]
            tls: {mode: SIMPLE, credentialName: %2$s}
          - port: {number: 8443, name: https-shared, protocol: HTTPS}
            hosts: [api.%1$s.example]
            tls: {mode: SIMPLE, credentialName: shared}
          - port: {number: 15443, name: https-mesh, protocol: HTTPS}
            hosts: [api.%1$s.example]
            tls: {mode: ISTIO_MUTUAL}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: api, namespace: %1$s}
        spec:
          hosts: [api.%1$s.example]
          gateways: [gw]
          http:
          - route:
            - destination: {host: api.%1$s.example, port: {number: 80}}
        ---
        """.formatted(namespace, credential);
  }
}
