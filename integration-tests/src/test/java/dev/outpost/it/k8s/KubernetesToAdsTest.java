package dev.outpost.it.k8s;

import static dev.outpost.it.k8s.MockIstio.apply;
import static dev.outpost.it.k8s.MockIstio.delete;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.collect.ImmutableSet;
import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.outpost.it.ads.DeltaClient;
import dev.outpost.it.ads.SotwClient;
import dev.outpost.k8s.WatcherOptions;
import dev.outpost.server.OutpostServer;
import dev.outpost.server.k8s.KubernetesServing;
import dev.outpost.server.k8s.PeerAddressCheck;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.grpc.Status;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code serve --kubernetes} end to end without Envoy: Istio resources and Secrets in fabric8's mock
 * API server (CRUD mode) → the real watcher, translator, checker and ADS server → a gRPC client
 * speaking for the egress gateway pod {@code egress-1.istio-system}, whose IP is the client's
 * loopback address (the peer address check is on, as in production).
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesToAdsTest {
  private static final String CDS = Resources.V3.CLUSTER_TYPE_URL;
  private static final String LDS = Resources.V3.LISTENER_TYPE_URL;
  private static final String SDS = Resources.V3.SECRET_TYPE_URL;
  private static final String NODE_ID = "egress-1.istio-system";

  KubernetesMockServer server;
  KubernetesClient client;

  private final HttpClient http = HttpClient.newHttpClient();
  private KubernetesServing outpost;

  @BeforeEach
  void cluster() {
    MockIstio.serve(server);
    apply(client, MockIstio.gatewayPod("egress-1", "istio-system", "istio-egressgateway"));
  }

  @AfterEach
  void stop() {
    if (outpost != null) {
      outpost.close();
    }
  }

  private void startOutpost() throws Exception {
    startOutpost(PeerAddressCheck.ENFORCE);
  }

  private void startOutpost(PeerAddressCheck peerCheck) throws Exception {
    outpost =
        KubernetesServing.start(
            MockIstio.builderFor(client),
            WatcherOptions.defaults()
                .withSecretNamespaces(ImmutableSet.of("istio-system"))
                .withDebounce(Duration.ofMillis(50), Duration.ofSeconds(1)),
            Optional.empty(),
            peerCheck,
            serving -> OutpostServer.start(new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("127.0.0.1", 0), serving));
  }

  private void startOutpostAndSync() throws Exception {
    startOutpostAndSync(PeerAddressCheck.ENFORCE);
  }

  private void startOutpostAndSync(PeerAddressCheck peerCheck) throws Exception {
    startOutpost(peerCheck);
    assertTrue(outpost.watcher().awaitSynced(Duration.ofSeconds(15)), "the watcher did not sync with the mock API server");
  }

  private SotwClient envoy(Node node) {
    return new SotwClient(outpost.server().xdsPort(), node);
  }

  // --- create, update, delete ------------------------------------------------------------

  @Test
  void createUpdateAndDeleteInTheClusterArePushedToTheGateway() throws Exception {
    apply(client, serviceEntry(80));
    apply(client, gateway(80));
    apply(client, virtualService(80));
    startOutpostAndSync();

    try (SotwClient envoy = envoy(node(Map.of("istio", "egressgateway"), "istio-system", "istio-egressgateway"))) {
      envoy.request(CDS, List.of());
      assertEquals(List.of("BlackHoleCluster", "outbound|80||httpbin.org"), awaitNames(envoy, CDS, List.of()));
      envoy.request(LDS, List.of());
      assertEquals(List.of("0.0.0.0_80"), awaitNames(envoy, LDS, List.of()));

      // Update: the ServiceEntry gains port 8080 and the route moves to it.
      apply(client, serviceEntry(80, 8080));
      apply(client, virtualService(8080));
      assertEquals(List.of("BlackHoleCluster", "outbound|8080||httpbin.org"), awaitUntil(envoy, CDS, List.of("BlackHoleCluster", "outbound|8080||httpbin.org")));

      // Update: the Gateway moves its server to port 8000: a new listener replaces the old one.
      apply(client, gateway(8000));
      assertEquals(List.of("0.0.0.0_8000"), awaitUntil(envoy, LDS, List.of("0.0.0.0_8000")));

      // Delete: without the VirtualService nothing routes to httpbin.org, so its cluster goes.
      delete(client, virtualService(8080));
      assertEquals(List.of("BlackHoleCluster"), awaitUntil(envoy, CDS, List.of("BlackHoleCluster")));
      delete(client, gateway(8000));
      assertEquals(List.of(), awaitUntil(envoy, LDS, List.of()));
    }
  }

  @Test
  void aDestinationRuleCreatedUpdatedAndDeletedChangesTheClustersTls() throws Exception {
    apply(client, serviceEntry(443));
    apply(client, gateway(80));
    apply(client, virtualService(443));
    startOutpostAndSync();
    String cluster = "outbound|443||httpbin.org";

    try (SotwClient envoy = envoy(node(Map.of("istio", "egressgateway"), "istio-system", "istio-egressgateway"))) {
      envoy.request(CDS, List.of());
      assertEquals("", awaitSni(envoy, cluster, ""), "no DestinationRule: plaintext");

      String originate = """
          apiVersion: networking.istio.io/v1
          kind: DestinationRule
          metadata: {name: httpbin-tls, namespace: istio-system}
          spec:
            host: httpbin.org
            trafficPolicy: {tls: {mode: SIMPLE, sni: httpbin.org}}
          """;
      apply(client, originate);
      assertEquals("httpbin.org", awaitSni(envoy, cluster, "httpbin.org"), "created: TLS origination");
      apply(client, originate.replace("sni: httpbin.org", "sni: www.httpbin.org"));
      assertEquals("www.httpbin.org", awaitSni(envoy, cluster, "www.httpbin.org"), "updated: the new SNI");
      delete(client, originate);
      assertEquals("", awaitSni(envoy, cluster, ""), "deleted: plaintext again");
    }
  }

  /** CDS responses (ACKed) until the cluster's upstream TLS SNI is {@code expected} ("" = no TLS). */
  private static String awaitSni(SotwClient envoy, String clusterName, String expected) throws Exception {
    String last = null;
    for (int i = 0; i < 5; i++) {
      DiscoveryResponse response = envoy.await(CDS);
      envoy.ack(response, List.of());
      for (Any any : response.getResourcesList()) {
        var cluster = any.unpack(io.envoyproxy.envoy.config.cluster.v3.Cluster.class);
        if (cluster.getName().equals(clusterName)) {
          last = cluster.hasTransportSocket()
              ? cluster.getTransportSocket().getTypedConfig()
                  .unpack(io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext.class).getSni()
              : "";
        }
      }
      if (expected.equals(last)) {
        return last;
      }
    }
    return last;
  }

  // --- Secret rotation ---------------------------------------------------------------------

  @Test
  void aRotatedSecretPushesOnlyANewSecretVersion() throws Exception {
    apply(client, serviceEntry(80, 443));
    apply(client, gateway(80));
    apply(client, virtualService(443));
    apply(client, ORIGINATE_TLS);
    apply(client, caSecret(TestCertificates.selfSignedCaPem("first CA")));
    startOutpostAndSync();

    try (SotwClient envoy = envoy(node(Map.of("istio", "egressgateway"), "istio-system", "istio-egressgateway"))) {
      envoy.request(CDS, List.of());
      assertEquals(List.of("BlackHoleCluster", "outbound|443||httpbin.org"), awaitNames(envoy, CDS, List.of()));
      envoy.request(LDS, List.of());
      awaitNames(envoy, LDS, List.of());
      List<String> secretNames = List.of("kubernetes://egress-ca-cacert");
      envoy.request(SDS, secretNames);
      DiscoveryResponse first = envoy.await(SDS);
      String firstCa = trustedCa(first);
      assertTrue(firstCa.contains("BEGIN CERTIFICATE"), "the CA from Secret egress-ca reaches the gateway");
      envoy.ack(first, secretNames);

      apply(client, caSecret(TestCertificates.selfSignedCaPem("second CA")));
      DiscoveryResponse rotated = envoy.await(SDS);
      assertNotEquals(first.getVersionInfo(), rotated.getVersionInfo());
      assertNotEquals(firstCa, trustedCa(rotated), "the new CA is pushed");
      envoy.ack(rotated, secretNames);
      // Clusters and listeners did not change: Envoy gets no CDS/LDS update, so nothing drains or warms.
      envoy.assertNothingFor(CDS, 1000);
      envoy.assertNothingFor(LDS, 200);
    }
  }

  // --- readiness -----------------------------------------------------------------------------

  @Test
  void readyzIsFalseUntilTheWatcherHasSynced() throws Exception {
    apply(client, serviceEntry(80));
    // The Secret list is refused twice (as before RBAC is bound): the watcher cannot sync yet.
    server
        .expect()
        .get()
        .withPath(
            "/api/v1/namespaces/istio-system/secrets?fieldSelector=type%21%3Dkubernetes.io%2Fservice-account-token"
                + "%2Ctype%21%3Dhelm.sh%2Frelease.v1&resourceVersion=0")
        .andReturn(403, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"Forbidden\",\"code\":403}")
        .times(2);
    startOutpost();
    String notReady = admin("/readyz");
    assertTrue(notReady.startsWith("503 not synced with the Kubernetes API server"), notReady);
    assertTrue(admin("/metrics").contains("\noutpost_kubernetes_synced 0\n"));

    assertTrue(outpost.watcher().awaitSynced(Duration.ofSeconds(15)));
    assertEquals("200 ready\n", awaitAdmin("/readyz", "200"));
    assertTrue(admin("/metrics").contains("\noutpost_kubernetes_synced 1\n"));
  }

  // --- proxy identity from the pod ---------------------------------------------------------

  @Test
  void aProxyWhoseMetadataLiesAboutItsNamespaceIsRefusedAndCounted() throws Exception {
    apply(client, gateway(80));
    startOutpostAndSync();
    try (SotwClient envoy = envoy(node(Map.of("istio", "egressgateway"), "default", "istio-egressgateway"))) {
      envoy.request(CDS, List.of());
      Throwable error = envoy.awaitError();
      Status status = Status.fromThrowable(error);
      assertEquals(Status.Code.PERMISSION_DENIED, status.getCode());
      assertTrue(
          status.getDescription().contains("node metadata NAMESPACE is \"default\" but pod egress-1.istio-system has \"istio-system\""),
          status.getDescription());
    }
    assertTrue(admin("/metrics").contains("outpost_proxies_refused_total{reason=\"namespace_mismatch\"} 1\n"), admin("/metrics"));
    assertEquals(0, new ObjectMapper().readTree(admin("/debug/proxies").substring(4)).size(), "the refused proxy is not registered");
  }

  @Test
  void labelsServiceAccountOrUnknownPodThatDisagreeAreRefusedWithTheirReason() throws Exception {
    startOutpostAndSync();
    try (SotwClient envoy = envoy(node(Map.of("istio", "ingressgateway"), "istio-system", "istio-egressgateway"))) {
      envoy.request(CDS, List.of());
      Status status = Status.fromThrowable(envoy.awaitError());
      assertEquals(Status.Code.PERMISSION_DENIED, status.getCode());
      assertTrue(status.getDescription().contains("LABELS.istio is \"ingressgateway\" but pod egress-1.istio-system has \"egressgateway\""),
          status.getDescription());
    }
    try (SotwClient envoy = envoy(node(Map.of(), "istio-system", "default"))) {
      envoy.request(CDS, List.of());
      assertEquals(Status.Code.PERMISSION_DENIED, Status.fromThrowable(envoy.awaitError()).getCode());
    }
    try (SotwClient envoy = new SotwClient(outpost.server().xdsPort(), node(Map.of(), "istio-system", "").toBuilder().setId("egress-2.istio-system").build())) {
      envoy.request(CDS, List.of());
      Status status = Status.fromThrowable(envoy.awaitError());
      assertEquals(Status.Code.UNAVAILABLE, status.getCode(), "an unknown pod may be one the informer has not seen yet: Envoy retries");
      assertTrue(status.getDescription().contains("no pod named by its node id"), status.getDescription());
    }
    String metrics = admin("/metrics");
    assertTrue(metrics.contains("outpost_proxies_refused_total{reason=\"labels_mismatch\"} 1\n"), metrics);
    assertTrue(metrics.contains("outpost_proxies_refused_total{reason=\"service_account_mismatch\"} 1\n"), metrics);
    assertTrue(metrics.contains("outpost_proxies_refused_total{reason=\"unknown_pod\"} 1\n"), metrics);
  }

  // --- the connection must come from the pod --------------------------------------------------

  @Test
  void aClientClaimingAPodWhoseAddressItDoesNotHaveIsRefusedAndCounted() throws Exception {
    apply(client, gateway(80));
    // Another gateway replica, at 10.1.2.3: our client connects from 127.0.0.1. Its metadata agrees
    // with the pod in every field, as an impostor's that copied the bootstrap would.
    apply(client, MockIstio.gatewayPod("egress-2", "istio-system", "istio-egressgateway", "10.1.2.3"));
    startOutpostAndSync();
    Node impostor = node(Map.of("istio", "egressgateway"), "istio-system", "istio-egressgateway").toBuilder()
        .setId("egress-2.istio-system").build();
    try (SotwClient envoy = envoy(impostor)) {
      envoy.request(CDS, List.of());
      Status status = Status.fromThrowable(envoy.awaitError());
      assertEquals(Status.Code.PERMISSION_DENIED, status.getCode());
      assertTrue(status.getDescription().startsWith(
          "proxy egress-2.istio-system: the connection comes from 127.0.0.1, which is not an IP address of pod egress-2.istio-system"),
          status.getDescription());
      assertFalse(status.getDescription().contains("10.1.2.3"), "the pod's address is for the log only");
    }
    assertTrue(admin("/metrics").contains("outpost_proxies_refused_total{reason=\"peer_address_mismatch\"} 1\n"), admin("/metrics"));
    assertEquals(0, new ObjectMapper().readTree(admin("/debug/proxies").substring(4)).size(), "the refused proxy is not registered");

    // The same client as the pod it does run in (127.0.0.1) is served.
    try (SotwClient envoy = envoy(node(Map.of("istio", "egressgateway"), "istio-system", "istio-egressgateway"))) {
      envoy.request(LDS, List.of());
      assertEquals(List.of("0.0.0.0_80"), awaitNames(envoy, LDS, List.of()));
    }
  }

  @Test
  void aPodWithoutAnIpYetIsAskedToRetryAndServedOnceItHasOne() throws Exception {
    apply(client, gateway(80));
    apply(client, MockIstio.gatewayPod("egress-3", "istio-system", "istio-egressgateway", ""));
    startOutpostAndSync();
    Node node = node(Map.of(), "istio-system", "").toBuilder().setId("egress-3.istio-system").build();
    try (SotwClient envoy = envoy(node)) {
      envoy.request(LDS, List.of());
      Status status = Status.fromThrowable(envoy.awaitError());
      assertEquals(Status.Code.UNAVAILABLE, status.getCode(), "Envoy retries: the kubelet reports the IP about now");
      assertTrue(status.getDescription().contains("pod egress-3.istio-system has no IP address in the API server (yet)"),
          status.getDescription());
    }
    assertTrue(admin("/metrics").contains("outpost_proxies_refused_total{reason=\"pod_without_address\"} 1\n"), admin("/metrics"));

    // The kubelet reports the pod's IP; Envoy's retry is accepted once the informer has it.
    apply(client, MockIstio.gatewayPod("egress-3", "istio-system", "istio-egressgateway", "127.0.0.1"));
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (outpost.watcher().lookup("egress-3.istio-system").orElseThrow().addresses().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    try (SotwClient envoy = envoy(node)) {
      envoy.request(LDS, List.of());
      assertEquals(List.of("0.0.0.0_80"), awaitNames(envoy, LDS, List.of()));
    }
  }

  @Test
  void withThePeerAddressCheckOffAnyAddressMayClaimThePod() throws Exception {
    apply(client, gateway(80));
    apply(client, MockIstio.gatewayPod("egress-2", "istio-system", "istio-egressgateway", "10.1.2.3"));
    startOutpostAndSync(PeerAddressCheck.OFF);
    Node claim = node(Map.of(), "istio-system", "").toBuilder().setId("egress-2.istio-system").build();
    try (SotwClient envoy = envoy(claim)) {
      envoy.request(LDS, List.of());
      assertEquals(List.of("0.0.0.0_80"), awaitNames(envoy, LDS, List.of()));
    }
    // The metadata is still checked against the pod.
    try (SotwClient envoy = envoy(node(Map.of(), "default", "").toBuilder().setId("egress-2.istio-system").build())) {
      envoy.request(LDS, List.of());
      assertEquals(Status.Code.PERMISSION_DENIED, Status.fromThrowable(envoy.awaitError()).getCode());
    }
  }

  @Test
  void aProxyWhoseMetadataOmitsLabelsNamespaceAndServiceAccountGetsThePods() throws Exception {
    apply(client, serviceEntry(80));
    apply(client, gateway(80));
    apply(client, virtualService(80));
    startOutpostAndSync();
    Node bare =
        Node.newBuilder()
            .setId(NODE_ID)
            .setMetadata(Struct.newBuilder().putFields("ROLE", Value.newBuilder().setStringValue("gateway").build()))
            .build();
    try (SotwClient envoy = envoy(bare)) {
      envoy.request(LDS, List.of());
      // The Gateway selects istio=egressgateway: only the pod's labels can have matched it.
      assertEquals(List.of("0.0.0.0_80"), awaitNames(envoy, LDS, List.of()));
      JsonNode proxies = new ObjectMapper().readTree(admin("/debug/proxies").substring(4));
      assertEquals(NODE_ID, proxies.get(0).path("node").asText());
      assertEquals(
          "gateway|istio-system|istio-egressgateway|app=istio-egressgateway,istio=egressgateway,pod-template-hash=7d9f8c",
          proxies.get(0).path("group").asText());
    }
  }

  @Test
  void aDeltaStreamIsGroupedByItsPodAndSeesAnAddedServiceEntryThenItsRemoval() throws Exception {
    apply(client, gateway(80));
    startOutpostAndSync();
    Node bare =
        Node.newBuilder()
            .setId(NODE_ID)
            .setMetadata(Struct.newBuilder().putFields("ROLE", Value.newBuilder().setStringValue("gateway").build()))
            .build();
    try (DeltaClient envoy = new DeltaClient(outpost.server().xdsPort(), bare)) {
      envoy.subscribe(CDS, List.of(), Map.of());
      DeltaDiscoveryResponse initial = envoy.await(CDS);
      assertEquals(List.of("BlackHoleCluster"), initial.getResourcesList().stream().map(r -> r.getName()).toList());
      envoy.ack(initial);

      apply(client, serviceEntry(80));
      apply(client, virtualService(80));
      DeltaDiscoveryResponse added = envoy.await(CDS);
      assertEquals(List.of("outbound|80||httpbin.org"), added.getResourcesList().stream().map(r -> r.getName()).toList());
      envoy.ack(added);

      delete(client, serviceEntry(80));
      DeltaDiscoveryResponse removed = envoy.await(CDS);
      assertEquals(List.of("outbound|80||httpbin.org"), removed.getRemovedResourcesList());
    }
  }

  // --- helpers -------------------------------------------------------------------------------

  private static Node node(Map<String, String> labels, String namespace, String serviceAccount) {
    Struct.Builder metadata = Struct.newBuilder().putFields("ROLE", Value.newBuilder().setStringValue("gateway").build());
    metadata.putFields("NAMESPACE", Value.newBuilder().setStringValue(namespace).build());
    if (!serviceAccount.isEmpty()) {
      metadata.putFields("SERVICE_ACCOUNT", Value.newBuilder().setStringValue(serviceAccount).build());
    }
    Struct.Builder labelStruct = Struct.newBuilder();
    labels.forEach((k, v) -> labelStruct.putFields(k, Value.newBuilder().setStringValue(v).build()));
    metadata.putFields("LABELS", Value.newBuilder().setStructValue(labelStruct).build());
    return Node.newBuilder().setId(NODE_ID).setMetadata(metadata).build();
  }

  private static List<String> names(DiscoveryResponse response) {
    List<String> names = new ArrayList<>();
    for (Any any : response.getResourcesList()) {
      names.add(resourceName(any));
    }
    return names;
  }

  private static String resourceName(Any any) {
    try {
      if (any.is(io.envoyproxy.envoy.config.cluster.v3.Cluster.class)) {
        return any.unpack(io.envoyproxy.envoy.config.cluster.v3.Cluster.class).getName();
      }
      if (any.is(io.envoyproxy.envoy.config.listener.v3.Listener.class)) {
        return any.unpack(io.envoyproxy.envoy.config.listener.v3.Listener.class).getName();
      }
      return any.unpack(Secret.class).getName();
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  /** The next response of the type, ACKed, by resource name. */
  private static List<String> awaitNames(SotwClient envoy, String typeUrl, List<String> subscribed) throws Exception {
    DiscoveryResponse response = envoy.await(typeUrl);
    envoy.ack(response, subscribed);
    return names(response);
  }

  /** Responses of the type (each ACKed) until one has {@code expected}: a burst may arrive in steps. */
  private static List<String> awaitUntil(SotwClient envoy, String typeUrl, List<String> expected) throws Exception {
    List<String> last = null;
    for (int i = 0; i < 5; i++) {
      last = awaitNames(envoy, typeUrl, List.of());
      if (last.equals(expected)) {
        return last;
      }
    }
    return last;
  }

  private static String trustedCa(DiscoveryResponse response) throws Exception {
    Secret secret = response.getResources(0).unpack(Secret.class);
    assertEquals("kubernetes://egress-ca-cacert", secret.getName());
    return secret.getValidationContext().getTrustedCa().getInlineBytes().toStringUtf8()
        + secret.getValidationContext().getTrustedCa().getInlineString();
  }

  private String admin(String path) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + outpost.server().adminPort() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body();
  }

  private String awaitAdmin(String path, String status) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    String reply = admin(path);
    while (!reply.startsWith(status) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      reply = admin(path);
    }
    return reply;
  }

  // --- resources -----------------------------------------------------------------------------

  private static String serviceEntry(int... ports) {
    StringBuilder portList = new StringBuilder();
    for (int port : ports) {
      String protocol = port == 443 ? "HTTPS" : "HTTP";
      portList.append("  - {number: ").append(port).append(", name: p").append(port).append(", protocol: ").append(protocol).append("}\n");
    }
    return """
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: httpbin, namespace: istio-system}
        spec:
          hosts: [httpbin.org]
          resolution: DNS
          ports:
        """ + portList;
  }

  private static String gateway(int port) {
    return """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: egress, namespace: istio-system}
        spec:
          selector: {istio: egressgateway}
          servers:
          - port: {number: %d, name: http, protocol: HTTP}
            hosts: ["*"]
        """.formatted(port);
  }

  private static String virtualService(int destinationPort) {
    return """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: httpbin, namespace: istio-system}
        spec:
          hosts: [httpbin.org]
          gateways: [egress]
          http:
          - route:
            - destination: {host: httpbin.org, port: {number: %d}}
        """.formatted(destinationPort);
  }

  private static final String ORIGINATE_TLS =
      """
      apiVersion: networking.istio.io/v1
      kind: DestinationRule
      metadata: {name: httpbin, namespace: istio-system}
      spec:
        host: httpbin.org
        trafficPolicy:
          portLevelSettings:
          - port: {number: 443}
            tls: {mode: SIMPLE, credentialName: egress-ca, sni: httpbin.org}
      """;

  private static String caSecret(String pem) {
    String data = java.util.Base64.getEncoder().encodeToString(pem.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return """
        apiVersion: v1
        kind: Secret
        metadata: {name: egress-ca, namespace: istio-system}
        type: Opaque
        data: {ca.crt: %s}
        """.formatted(data);
  }
}
