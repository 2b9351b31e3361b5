package dev.outpost.k8s;

import static dev.outpost.k8s.MockCluster.apply;
import static dev.outpost.k8s.MockCluster.delete;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import dev.outpost.translator.api.SourceFile;
import dev.outpost.translator.diag.Diagnostic;
import dev.outpost.translator.model.AuthorizationPolicy;
import dev.outpost.translator.model.ConfigSnapshot;
import dev.outpost.translator.model.DestinationRule;
import dev.outpost.translator.model.EnvoyFilter;
import dev.outpost.translator.model.Gateway;
import dev.outpost.translator.model.KubeSecret;
import dev.outpost.translator.model.MeshConfig;
import dev.outpost.translator.model.OutboundTrafficMode;
import dev.outpost.translator.model.ServiceEntry;
import dev.outpost.translator.model.Sidecar;
import dev.outpost.translator.model.VirtualService;
import dev.outpost.translator.parse.SnapshotAssembler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.util.HashMap;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class KubernetesWatcherTest {
  KubernetesMockServer server;
  KubernetesClient client;

  private final SnapshotRecorder snapshots = new SnapshotRecorder();
  private KubernetesWatcher watcher;

  private static final WatcherOptions OPTIONS =
      WatcherOptions.defaults().withSecretNamespaces(ImmutableSet.of("istio-system"));

  @AfterEach
  void closeWatcher() {
    if (watcher != null) {
      watcher.close();
    }
  }

  private KubernetesWatcher startWatcher(WatcherOptions options) throws InterruptedException {
    watcher = new KubernetesWatcher(MockCluster.builderFor(client), options, snapshots);
    watcher.start();
    assertTrue(watcher.awaitSynced(SnapshotRecorder.TIMEOUT), "the watcher did not sync");
    return watcher;
  }

  // --- resources ---------------------------------------------------------------------------

  private static final String SERVICE_ENTRY =
      """
      apiVersion: networking.istio.io/v1
      kind: ServiceEntry
      metadata: {name: httpbin, namespace: default}
      spec:
        hosts: [httpbin.org]
        ports: [{number: 80, name: http-port, protocol: HTTP}]
        resolution: DNS
      """;

  private static final String GATEWAY =
      """
      apiVersion: networking.istio.io/v1
      kind: Gateway
      metadata: {name: istio-egressgateway, namespace: istio-system}
      spec:
        selector: {istio: egressgateway}
        servers:
        - port: {number: 80, name: http, protocol: HTTP}
          hosts: [httpbin.org]
      """;

  private static final String VIRTUAL_SERVICE =
      """
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata: {name: direct-httpbin, namespace: default}
      spec:
        hosts: [httpbin.org]
        gateways: [istio-system/istio-egressgateway]
        http:
        - route:
          - destination: {host: httpbin.org, port: {number: 80}}
      """;

  private static final String DESTINATION_RULE =
      """
      apiVersion: networking.istio.io/v1
      kind: DestinationRule
      metadata: {name: httpbin, namespace: default}
      spec:
        host: httpbin.org
        subsets: [{name: v1, labels: {version: v1}}]
      """;

  private static String secret(String namespace, String name, String type, String value) {
    return """
        apiVersion: v1
        kind: Secret
        metadata: {name: %s, namespace: %s}
        type: %s
        stringData: {ca.crt: "%s"}
        """
        .formatted(name, namespace, type, value);
  }

  /** The form the API server stores and returns: base64 under data. */
  private static String secretWithData(String namespace, String name, String value) {
    String encoded = java.util.Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    return """
        apiVersion: v1
        kind: Secret
        metadata: {name: %s, namespace: %s}
        type: Opaque
        data: {ca.crt: %s}
        """
        .formatted(name, namespace, encoded);
  }

  private static String pod(String namespace, String name, String serviceAccount, String labels) {
    return """
        apiVersion: v1
        kind: Pod
        metadata: {name: %s, namespace: %s, labels: %s}
        spec:
          serviceAccountName: %s
          containers: [{name: envoy, image: envoyproxy/envoy:v1.36.0}]
        """
        .formatted(name, namespace, labels, serviceAccount);
  }

  private static Optional<VirtualService> virtualService(ConfigSnapshot s, String name) {
    return s.virtualServices().stream().filter(v -> v.metadata().name().equals(name)).findFirst();
  }

  private static Optional<ServiceEntry> serviceEntry(ConfigSnapshot s, String name) {
    return s.serviceEntries().stream().filter(v -> v.metadata().name().equals(name)).findFirst();
  }

  private static Optional<KubeSecret> secretIn(ConfigSnapshot s, String namespace, String name) {
    return s.secrets().stream()
        .filter(v -> v.metadata().namespace().equals(namespace) && v.metadata().name().equals(name))
        .findFirst();
  }

  private static String caOf(KubeSecret secret) {
    return secret.get("ca.crt").orElseThrow().toString(StandardCharsets.UTF_8);
  }

  // --- tests -------------------------------------------------------------------------------

  @Test
  void createUpdateAndDeleteOfEachKindChangeTheSnapshot() throws Exception {
    MockCluster.serveIstio(server, "v1");
    startWatcher(OPTIONS);
    ConfigSnapshot empty = snapshots.await("the synced empty cluster", s -> true);
    assertEquals(ConfigSnapshot.EMPTY, empty);

    apply(client, SERVICE_ENTRY);
    apply(client, GATEWAY);
    apply(client, VIRTUAL_SERVICE);
    apply(client, DESTINATION_RULE);
    ConfigSnapshot all =
        snapshots.await(
            "all four kinds",
            s -> s.serviceEntries().size() == 1 && s.gateways().size() == 1
                && s.virtualServices().size() == 1 && s.destinationRules().size() == 1);
    ServiceEntry se = all.serviceEntries().get(0);
    assertEquals(List.of("httpbin.org"), se.hosts());
    assertEquals(80, se.ports().get(0).number());
    assertEquals("kubernetes:ServiceEntry/default/httpbin, document 1", se.metadata().origin());
    Gateway gw = all.gateways().get(0);
    assertEquals("istio-system", gw.metadata().namespace());
    assertEquals(ImmutableMap.of("istio", "egressgateway"), gw.selector());
    VirtualService vs = all.virtualServices().get(0);
    assertEquals(List.of("istio-system/istio-egressgateway"), vs.gateways());
    DestinationRule dr = all.destinationRules().get(0);
    assertEquals("httpbin.org", dr.host());
    assertEquals("v1", dr.subsets().get(0).name());
    assertEquals(List.of(), all.diagnostics(), "the guide's resources are valid");

    apply(client, SERVICE_ENTRY.replace("number: 80", "number: 8080"));
    apply(client, VIRTUAL_SERVICE.replace("hosts: [httpbin.org]", "hosts: [httpbin.org, www.httpbin.org]"));
    apply(client, GATEWAY.replace("{istio: egressgateway}", "{app: outpost-egress}"));
    apply(client, DESTINATION_RULE.replace("name: v1,", "name: v2,"));
    snapshots.await(
        "the updated objects",
        s -> s.serviceEntries().size() == 1
            && s.serviceEntries().get(0).ports().get(0).number() == 8080
            && virtualService(s, "direct-httpbin").map(v -> v.hosts().size() == 2).orElse(false)
            && s.gateways().size() == 1
            && s.gateways().get(0).selector().equals(ImmutableMap.of("app", "outpost-egress"))
            && s.destinationRules().size() == 1
            && s.destinationRules().get(0).subsets().get(0).name().equals("v2"));

    delete(client, VIRTUAL_SERVICE);
    ConfigSnapshot withoutVs =
        snapshots.await("the VirtualService gone", s -> s.virtualServices().isEmpty());
    assertEquals(1, withoutVs.serviceEntries().size(), "deleting one object removes only that one");
    delete(client, SERVICE_ENTRY);
    delete(client, GATEWAY);
    delete(client, DESTINATION_RULE);
    snapshots.await("everything gone", s -> s.equals(ConfigSnapshot.EMPTY));
  }

  @Test
  void nothingIsHandedOverBeforeEveryInformerHasSynced() throws Exception {
    MockCluster.serveIstio(server, "v1");
    for (int i = 0; i < 30; i++) {
      apply(client, SERVICE_ENTRY.replace("name: httpbin", "name: se-" + i));
    }
    apply(client, GATEWAY);
    apply(client, secret("istio-system", "egress-ca", "Opaque", "CA"));
    startWatcher(OPTIONS);
    ConfigSnapshot first = snapshots.await("a first snapshot", s -> true);
    assertEquals(first, snapshots.received.get(0));
    assertEquals(30, first.serviceEntries().size(), "the first snapshot already holds the whole cache");
    assertEquals(1, first.gateways().size());
    assertEquals(1, first.secrets().size());
    assertTrue(watcher.isSynced());
  }

  @Test
  void oneInformerThatCannotListYetHoldsBackEverySnapshot() throws Exception {
    MockCluster.serveIstio(server, "v1");
    apply(client, SERVICE_ENTRY);
    apply(client, secret("istio-system", "egress-ca", "Opaque", "CA"));
    // The Secret list is refused twice (as RBAC would until a Role is bound), then allowed.
    server
        .expect()
        .get()
        .withPath(
            "/api/v1/namespaces/istio-system/secrets?fieldSelector=type%21%3Dkubernetes.io%2Fservice-account-token"
                + "%2Ctype%21%3Dhelm.sh%2Frelease.v1&resourceVersion=0")
        .andReturn(403, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"Forbidden\",\"code\":403}")
        .times(2);
    watcher = new KubernetesWatcher(MockCluster.builderFor(client), OPTIONS, snapshots);
    watcher.start();

    Thread.sleep(800); // the Istio informers have listed by now; the Secret one has not
    assertFalse(watcher.isSynced());
    apply(client, VIRTUAL_SERVICE); // a change while not synced schedules nothing visible either
    Thread.sleep(400);
    assertTrue(snapshots.received.isEmpty(), "handed over before the Secret informer synced");

    assertTrue(watcher.awaitSynced(SnapshotRecorder.TIMEOUT));
    ConfigSnapshot first = snapshots.received.get(0);
    assertEquals(1, first.serviceEntries().size());
    assertEquals(1, first.virtualServices().size());
    assertEquals(1, first.secrets().size(), "the first snapshot holds the Secret that was late");
  }

  @Test
  void anUnreachableApiServerNeverYieldsASnapshotAndIsCounted() throws Exception {
    int port = server.getPort();
    server.shutdown();
    watcher =
        new KubernetesWatcher(
            MockCluster.builderFor(client), OPTIONS, snapshots);
    watcher.start();
    assertFalse(watcher.awaitSynced(Duration.ofMillis(1500)), "synced against port " + port + " with no server");
    assertFalse(watcher.isSynced());
    assertTrue(snapshots.received.isEmpty(), "no empty config for an empty cache");
    WatcherStats stats = watcher.stats();
    assertFalse(stats.apiServerReachable());
    assertEquals(1, stats.apiServerOutages(), "one outage, however many retries");
    assertTrue(stats.apiServerConnectionFailures() >= 1);
  }

  @Test
  void anOutageAfterSyncKeepsTheLastSnapshotAndIsCounted() throws Exception {
    MockCluster.serveIstio(server, "v1");
    apply(client, SERVICE_ENTRY);
    startWatcher(OPTIONS);
    snapshots.await("the ServiceEntry", s -> s.serviceEntries().size() == 1);
    int handedOver = snapshots.received.size();
    int port = server.getPort();

    server.shutdown();
    long deadline = System.nanoTime() + SnapshotRecorder.TIMEOUT.toNanos();
    while (watcher.stats().apiServerOutages() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    WatcherStats stats = watcher.stats();
    assertEquals(1, stats.apiServerOutages());
    assertFalse(stats.apiServerReachable());
    Thread.sleep(500);
    assertEquals(handedOver, snapshots.received.size(), "nothing new is handed over while the API server is away");
    assertEquals(1, snapshots.latest().serviceEntries().size());
    assertTrue(watcher.isSynced(), "the last config stays in effect and ready");

    // The API server comes back (same address, its store rebuilt): the informers re-list and
    // watch again by themselves.
    KubernetesMockServer restarted =
        new KubernetesMockServer(
            new Context(Serialization.jsonMapper()), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), true);
    restarted.start(port);
    try (KubernetesClient again = restarted.createClient()) {
      MockCluster.serveIstio(restarted, "v1");
      apply(again, SERVICE_ENTRY);
      apply(again, VIRTUAL_SERVICE);
      ConfigSnapshot after =
          snapshots.await(
              "the config after the outage",
              s -> s.serviceEntries().size() == 1 && s.virtualServices().size() == 1);
      assertEquals(List.of("httpbin.org"), after.virtualServices().get(0).hosts());
      assertTrue(watcher.stats().apiServerReachable());
      assertEquals(1, watcher.stats().apiServerOutages());
    } finally {
      restarted.shutdown();
    }
  }

  @Test
  void aBurstOfFiftyChangesIsFewRebuilds() throws Exception {
    MockCluster.serveIstio(server, "v1");
    startWatcher(OPTIONS);
    snapshots.await("the synced empty cluster", s -> true);
    long before = watcher.stats().rebuilds();
    for (int i = 0; i < 50; i++) {
      apply(client, SERVICE_ENTRY.replace("name: httpbin", "name: se-" + i));
    }
    snapshots.await("all fifty", s -> s.serviceEntries().size() == 50);
    Thread.sleep(300); // let a trailing rebuild, if any, happen before counting
    long rebuilds = watcher.stats().rebuilds() - before;
    assertTrue(rebuilds >= 1 && rebuilds <= 10, "50 changes took " + rebuilds + " rebuilds");
  }

  @Test
  void aRotatedSecretReachesTheSnapshotAndOnlyWatchedNamespacesAndTypesAreRead() throws Exception {
    MockCluster.serveIstio(server, "v1");
    startWatcher(OPTIONS);
    apply(client, secret("istio-system", "egress-ca", "Opaque", "first"));
    ConfigSnapshot first =
        snapshots.await("the secret", s -> secretIn(s, "istio-system", "egress-ca").isPresent());
    assertEquals("first", caOf(secretIn(first, "istio-system", "egress-ca").orElseThrow()));

    apply(client, secretWithData("istio-system", "egress-ca", "rotated"));
    snapshots.await(
        "the rotated secret",
        s -> secretIn(s, "istio-system", "egress-ca").map(x -> caOf(x).equals("rotated")).orElse(false));

    // Not read: another namespace, and a type that cannot hold TLS material. Read: any other
    // type, as Istio reads any type with the right keys.
    apply(client, secret("default", "app-ca", "Opaque", "elsewhere"));
    apply(client, secret("istio-system", "registry", "kubernetes.io/dockercfg", "x"));
    apply(client, secret("istio-system", "custom-type", "example.com/ca-bundle", "custom"));
    // A later change in a watched namespace proves the two above were seen and passed over.
    apply(client, secret("istio-system", "marker", "kubernetes.io/tls", "m")
        .replace("stringData: {ca.crt: \"m\"}", "stringData: {tls.crt: c, tls.key: k}"));
    ConfigSnapshot later = snapshots.await("the marker", s -> secretIn(s, "istio-system", "marker").isPresent());
    assertEquals(
        List.of("istio-system/custom-type", "istio-system/egress-ca", "istio-system/marker"),
        later.secrets().stream()
            .map(x -> x.metadata().namespace() + "/" + x.metadata().name())
            .collect(Collectors.toList()));

    delete(client, secret("istio-system", "egress-ca", "Opaque", "rotated"));
    snapshots.await("the deleted secret gone", s -> secretIn(s, "istio-system", "egress-ca").isEmpty());
  }

  @Test
  void aConsumerThatFailedGetsTheSnapshotAgainAtTheNextRebuild() throws Exception {
    MockCluster.serveIstio(server, "v1");
    java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
    watcher =
        new KubernetesWatcher(
            MockCluster.builderFor(client),
            OPTIONS,
            snapshot -> {
              if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("publisher busy");
              }
              snapshots.accept(snapshot);
            });
    watcher.start();
    assertTrue(watcher.awaitSynced(SnapshotRecorder.TIMEOUT));
    assertEquals(1, watcher.stats().rebuildFailures());
    // A change that leaves the content equal (a Secret of a type that is not read) still rebuilds.
    apply(client, secret("istio-system", "registry", "kubernetes.io/dockercfg", "x"));
    snapshots.await("the snapshot that failed before", s -> s.equals(ConfigSnapshot.EMPTY));
    assertEquals(1, watcher.stats().published());
  }

  @Test
  void aClusterServingOnlyV1beta1Works() throws Exception {
    MockCluster.serveIstio(server, "v1beta1");
    startWatcher(OPTIONS);
    assertEquals("v1beta1", watcher.servedVersions().get(IstioKind.VIRTUAL_SERVICE));
    apply(client, VIRTUAL_SERVICE.replace("networking.istio.io/v1", "networking.istio.io/v1beta1"));
    ConfigSnapshot s = snapshots.await("the v1beta1 VirtualService", x -> x.virtualServices().size() == 1);
    assertEquals(List.of("httpbin.org"), s.virtualServices().get(0).hosts());
  }

  @Test
  void v1IsPreferredWhenV1beta1IsServedToo() throws Exception {
    MockCluster.serveIstio(server, "v1beta1", "v1");
    startWatcher(OPTIONS);
    for (IstioKind kind : IstioKind.EGRESS) {
      // v1 for every kind Istio serves at v1; EnvoyFilter has only v1alpha3.
      String expected = kind.equals(IstioKind.ENVOY_FILTER) ? "v1alpha3" : "v1";
      assertEquals(expected, watcher.servedVersions().get(kind), kind.kind());
    }
    apply(client, SERVICE_ENTRY);
    snapshots.await("the v1 ServiceEntry", s -> s.serviceEntries().size() == 1);
  }

  @Test
  void aClusterWithoutIstioCrdsSyncsWithNoIstioResources() throws Exception {
    startWatcher(OPTIONS);
    assertEquals(ImmutableMap.of(), watcher.servedVersions());
    apply(client, secret("istio-system", "egress-ca", "Opaque", "CA"));
    ConfigSnapshot s = snapshots.await("the secret", x -> x.secrets().size() == 1);
    assertTrue(s.virtualServices().isEmpty() && s.gateways().isEmpty());
  }

  @Test
  void istioCrdsInstalledAfterStartAreReadWithoutARestart() throws Exception {
    startWatcher(OPTIONS.withRediscovery(Duration.ofMillis(200)));
    assertEquals(ImmutableMap.of(), watcher.servedVersions());
    snapshots.await("the synced cluster without Istio", s -> true);

    MockCluster.serveIstio(server, "v1");
    apply(client, SERVICE_ENTRY);
    ConfigSnapshot s = snapshots.await("the ServiceEntry of the CRD installed later", x -> x.serviceEntries().size() == 1);
    assertEquals(List.of("httpbin.org"), s.serviceEntries().get(0).hosts());
    assertEquals("v1", watcher.servedVersions().get(IstioKind.SERVICE_ENTRY));
    assertEquals(IstioKind.EGRESS.size(), watcher.servedVersions().size(), "every kind is read once served");

    apply(client, VIRTUAL_SERVICE);
    snapshots.await("a VirtualService too", x -> x.virtualServices().size() == 1);
  }

  @Test
  void podsAreLookedUpByNodeId() throws Exception {
    MockCluster.serveIstio(server, "v1");
    apply(client, pod("istio-system", "egress-7d9f-x2x", "egress-sa", "{istio: egressgateway, app: egress}"));
    apply(client, pod("apps", "web.v2-abc", "web", "{app: web}"));
    startWatcher(OPTIONS);

    PodIdentity gateway = watcher.lookup("egress-7d9f-x2x.istio-system").orElseThrow();
    assertEquals("istio-system", gateway.namespace());
    assertEquals("egress-sa", gateway.serviceAccount());
    assertEquals(ImmutableMap.of("app", "egress", "istio", "egressgateway"), gateway.labels());
    assertEquals("egress-7d9f-x2x.istio-system", gateway.nodeId());
    assertEquals(
        client.pods().inNamespace("istio-system").withName("egress-7d9f-x2x").get().getMetadata().getUid(),
        gateway.uid(),
        "kept by the reduced pod store");

    assertEquals(ImmutableSet.of(), gateway.addresses(), "not started yet: no IP");

    assertEquals("web", watcher.lookup("web.v2-abc.apps").orElseThrow().serviceAccount(), "a dotted pod name");
    assertTrue(watcher.lookup("egress-7d9f-x2x.default").isEmpty(), "right name, wrong namespace");
    assertTrue(watcher.lookup("no-dot").isEmpty());
    assertTrue(watcher.lookup("trailing.").isEmpty());

    apply(client, pod("apps", "late", "late-sa", "{app: late}"));
    long deadline = System.nanoTime() + SnapshotRecorder.TIMEOUT.toNanos();
    while (watcher.lookup("late.apps").isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals("late-sa", watcher.lookup("late.apps").orElseThrow().serviceAccount());
    delete(client, pod("apps", "late", "late-sa", "{app: late}"));
    deadline = System.nanoTime() + SnapshotRecorder.TIMEOUT.toNanos();
    while (watcher.lookup("late.apps").isPresent() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(watcher.lookup("late.apps").isEmpty(), "a deleted pod is no identity");
  }

  private static final String SERVICE =
      """
      apiVersion: v1
      kind: Service
      metadata: {name: forward-proxy, namespace: corp}
      spec:
        selector: {app: forward-proxy}
        ports: [{name: http, port: 3128, targetPort: proxy}]
      """;

  private static String slice(boolean ready) {
    return """
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: forward-proxy-x1
          namespace: corp
          labels: {kubernetes.io/service-name: forward-proxy}
        addressType: IPv4
        ports: [{name: http, port: 13128}]
        endpoints:
        - addresses: [10.244.1.7]
          conditions: {ready: %s}
          targetRef: {kind: Pod, name: forward-proxy-0, namespace: corp}
        """
        .formatted(ready);
  }

  @Test
  void servicesEndpointSlicesAndTheirPodsReachTheSnapshot() throws Exception {
    MockCluster.serveIstio(server, "v1");
    apply(client, pod("corp", "unrelated", "sa", "{app: unrelated}"));
    startWatcher(OPTIONS);
    snapshots.await("the synced cluster", s -> true);

    apply(client, SERVICE);
    apply(client, slice(true));
    ConfigSnapshot withSlice =
        snapshots.await("the Service and its slice", s -> s.services().size() == 1 && s.endpointSlices().size() == 1);
    assertEquals("kubernetes:Service/corp/forward-proxy, document 1", withSlice.services().get(0).metadata().origin());
    assertEquals(3128, withSlice.services().get(0).ports().get(0).port());
    assertEquals(List.of(), withSlice.diagnostics(), "objects as the API server returns them read cleanly");

    // The slice names a pod the informer has not seen: its arrival rebuilds.
    apply(client, pod("corp", "forward-proxy-0", "forward-proxy", "{app: forward-proxy, version: v1}"));
    ConfigSnapshot withPod = snapshots.await("the endpoint's pod", s -> s.pods().size() == 1);
    assertEquals("forward-proxy", withPod.pods().get(0).serviceAccount());
    assertEquals("forward-proxy-0", withPod.pods().get(0).metadata().name(), "only pods behind endpoints are read");

    apply(client, pod("corp", "forward-proxy-0", "forward-proxy", "{app: forward-proxy, version: v2}"));
    snapshots.await(
        "the pod's new labels",
        s -> s.pods().size() == 1 && "v2".equals(s.pods().get(0).metadata().labels().get("version")));

    long rebuilds = watcher.stats().rebuilds();
    client.pods().inNamespace("corp").withName("unrelated").edit(p -> {
      p.getMetadata().getLabels().put("app", "renamed");
      return p;
    });
    Thread.sleep(1000);
    assertEquals(rebuilds, watcher.stats().rebuilds(), "a pod behind no endpoint is identity, not config");

    apply(client, slice(false));
    snapshots.await(
        "the endpoint not ready", s -> s.endpointSlices().size() == 1 && !s.endpointSlices().get(0).endpoints().get(0).ready());

    delete(client, SERVICE);
    delete(client, slice(false));
    snapshots.await("the Service gone", s -> s.services().isEmpty() && s.endpointSlices().isEmpty() && s.pods().isEmpty());
  }

  @Test
  void podAddressesAreKeptAndNormalised() throws Exception {
    MockCluster.serveIstio(server, "v1");
    // Dual stack: podIPs has one address per family (podIP repeats the first); IPv6 written long
    // and in upper case must still compare equal to the form a socket reports.
    apply(client, pod("istio-system", "dual", "sa", "{app: dual}") + """
        status:
          podIP: 10.1.2.3
          podIPs: [{ip: 10.1.2.3}, {ip: "2001:DB8:0:0:0:0:0:7"}]
        """);
    // A pod written before podIPs existed (or by an old kubelet): only podIP.
    apply(client, pod("istio-system", "single", "sa", "{app: single}") + """
        status: {podIP: 10.1.2.4}
        """);
    // A finished Job's pod keeps its IP in status, but the IP is released for other pods.
    apply(client, pod("istio-system", "done", "sa", "{app: done}") + """
        status: {phase: Succeeded, podIP: 10.1.2.5, podIPs: [{ip: 10.1.2.5}]}
        """);
    startWatcher(OPTIONS);

    PodIdentity dual = watcher.lookup("dual.istio-system").orElseThrow();
    assertEquals(ImmutableSet.of("10.1.2.3", "2001:db8::7"), dual.addresses(), "kept by the reduced pod store");
    assertTrue(dual.hasAddress(java.net.InetAddress.getByName("2001:db8::7")));
    assertTrue(dual.hasAddress(java.net.InetAddress.getByName("::ffff:10.1.2.3")), "IPv4-mapped is the IPv4 address");
    assertFalse(dual.hasAddress(java.net.InetAddress.getByName("10.1.2.4")));
    assertEquals(ImmutableSet.of("10.1.2.4"), watcher.lookup("single.istio-system").orElseThrow().addresses());
    assertEquals(ImmutableSet.of(), watcher.lookup("done.istio-system").orElseThrow().addresses(), "a finished pod has none");
  }

  @Test
  void watchNamespacesLimitWhatIsRead() throws Exception {
    MockCluster.serveIstio(server, "v1");
    apply(client, pod("istio-system", "egress-1", "egress-sa", "{istio: egressgateway}"));
    apply(client, pod("default", "app-1", "app-sa", "{app: app}"));
    apply(client, pod("team-b", "other", "sa", "{app: other}"));
    startWatcher(OPTIONS.withWatchNamespaces(ImmutableSet.of("default")));
    apply(client, SERVICE_ENTRY.replace("namespace: default", "namespace: team-b"));
    apply(client, SERVICE_ENTRY.replace("namespace: default", "namespace: istio-system"));
    apply(client, SERVICE_ENTRY);
    ConfigSnapshot s = snapshots.await("the default ServiceEntry", x -> serviceEntry(x, "httpbin").isPresent());
    assertEquals(List.of("default"), s.serviceEntries().stream().map(e -> e.metadata().namespace()).toList());
    assertTrue(watcher.lookup("other.team-b").isEmpty(), "not a watched namespace");
    assertTrue(watcher.lookup("app-1.default").isPresent(), "client proxies in watched namespaces");
    assertTrue(watcher.lookup("egress-1.istio-system").isPresent(), "gateway proxies in the Secret namespaces");
  }

  @Test
  void aGatewaySelectorTakesOnlyOutpostsGateways() throws Exception {
    MockCluster.serveIstio(server, "v1");
    startWatcher(OPTIONS.withGatewaySelector(ImmutableMap.of("outpost.dev/gateway", "egress")));
    apply(client, GATEWAY); // istio: egressgateway — istiod's
    apply(
        client,
        GATEWAY.replace("name: istio-egressgateway", "name: outpost-egress")
            .replace("{istio: egressgateway}", "{outpost.dev/gateway: egress, istio: egressgateway}"));
    apply(client, SERVICE_ENTRY);
    ConfigSnapshot s = snapshots.await("the ServiceEntry", x -> x.serviceEntries().size() == 1);
    assertEquals(List.of("outpost-egress"), s.gateways().stream().map(g -> g.metadata().name()).toList());
  }

  private static final String SIDECAR =
      """
      apiVersion: networking.istio.io/v1
      kind: Sidecar
      metadata: {name: default, namespace: apps}
      spec:
        workloadSelector: {labels: {app: web}}
        egress:
        - hosts: ["./*", "istio-system/*"]
        outboundTrafficPolicy: {mode: REGISTRY_ONLY}
      """;

  private static String meshConfig(String namespace, String name, String mode) {
    return """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: %s, namespace: %s}
        data:
          mesh: |-
            accessLogFile: /dev/stdout
            outboundTrafficPolicy:
              mode: %s
        """
        .formatted(name, namespace, mode);
  }

  private static Optional<OutboundTrafficMode> meshMode(ConfigSnapshot s) {
    return s.meshConfigs().stream().map(MeshConfig::outboundTrafficMode).findFirst();
  }

  @Test
  void sidecarsAndTheMeshConfigFollowTheCluster() throws Exception {
    MockCluster.serveIstio(server, "v1");
    startWatcher(OPTIONS);
    snapshots.await("the synced empty cluster", s -> true);

    apply(client, SIDECAR);
    apply(client, meshConfig("istio-system", "istio", "ALLOW_ANY"));
    ConfigSnapshot both =
        snapshots.await(
            "the Sidecar and the mesh config",
            s -> s.sidecars().size() == 1 && meshMode(s).equals(Optional.of(OutboundTrafficMode.ALLOW_ANY)));
    Sidecar sidecar = both.sidecars().get(0);
    assertEquals("kubernetes:Sidecar/apps/default, document 1", sidecar.metadata().origin());
    assertEquals(List.of("./*", "istio-system/*"), sidecar.egress().get(0).hosts());
    assertEquals(Optional.of(OutboundTrafficMode.REGISTRY_ONLY), sidecar.outboundTrafficMode());
    assertEquals(
        "kubernetes:ConfigMap/istio-system/istio, document 1", both.meshConfigs().get(0).metadata().origin());
    assertEquals(List.of(), both.diagnostics(), "objects as the API server returns them read cleanly");
    assertTrue(
        watcher.lastRead().stream().anyMatch(r -> r.kind().equals("Sidecar")),
        "Sidecars get status like the other Istio kinds");
    assertTrue(
        watcher.lastRead().stream().noneMatch(r -> r.kind().equals("ConfigMap")), "the ConfigMap gets none");

    apply(client, SIDECAR.replace("\"./*\", ", ""));
    apply(client, meshConfig("istio-system", "istio", "REGISTRY_ONLY"));
    snapshots.await(
        "the updated Sidecar and mesh config",
        s -> s.sidecars().size() == 1
            && s.sidecars().get(0).egress().get(0).hosts().equals(List.of("istio-system/*"))
            && meshMode(s).equals(Optional.of(OutboundTrafficMode.REGISTRY_ONLY)));

    delete(client, SIDECAR);
    delete(client, meshConfig("istio-system", "istio", "REGISTRY_ONLY"));
    snapshots.await("both gone", s -> s.equals(ConfigSnapshot.EMPTY));
  }

  @Test
  void aBadMeshModeIsAnErrorAndRegistryOnly() throws Exception {
    MockCluster.serveIstio(server, "v1");
    apply(client, meshConfig("istio-system", "istio", "ALLOW_ANY"));
    startWatcher(OPTIONS);
    snapshots.await("ALLOW_ANY", s -> meshMode(s).equals(Optional.of(OutboundTrafficMode.ALLOW_ANY)));

    apply(client, meshConfig("istio-system", "istio", "ALLOW-ANY"));
    ConfigSnapshot s =
        snapshots.await("the error", x -> x.diagnostics().stream().anyMatch(Diagnostic::isError));
    assertEquals(Optional.of(OutboundTrafficMode.REGISTRY_ONLY), meshMode(s), "fail closed, not the last good ALLOW_ANY");
    Diagnostic error = s.diagnostics().get(0);
    assertEquals("ConfigMap istio-system/istio", error.subject());
    assertEquals("data.mesh: outboundTrafficPolicy.mode", error.field());
  }

  @Test
  void onlyTheMeshConfigMapIsAskedFor() throws Exception {
    MockCluster.serveIstio(server, "v1");
    apply(client, meshConfig("default", "istio", "ALLOW_ANY"));
    apply(client, meshConfig("istio-system", "istio-canary", "ALLOW_ANY"));
    startWatcher(OPTIONS);
    apply(client, meshConfig("istio-system", "app-settings", "ALLOW_ANY"));
    apply(client, SERVICE_ENTRY); // a later change: the ConfigMaps above have been passed by
    ConfigSnapshot s = snapshots.await("the ServiceEntry", x -> x.serviceEntries().size() == 1);
    assertEquals(List.of(), s.meshConfigs());
    assertEquals(List.of(), s.diagnostics());

    // Not merely filtered by the parser: the API server is only ever asked for that one object.
    int requests = server.getRequestCount();
    List<String> configMapPaths = new java.util.ArrayList<>();
    for (int i = 0; i < requests; i++) {
      var request = server.takeRequest(1, java.util.concurrent.TimeUnit.SECONDS);
      if (request != null && request.getPath().contains("configmaps") && "GET".equals(request.getMethod())) {
        configMapPaths.add(request.getPath());
      }
    }
    assertFalse(configMapPaths.isEmpty(), "the mesh config informer lists and watches");
    for (String path : configMapPaths) {
      assertTrue(
          path.startsWith("/api/v1/namespaces/istio-system/configmaps?")
              && path.contains("fieldSelector=metadata.name%3Distio"),
          path);
    }
  }

  @Test
  void sidecarsAreReadAtV1alpha3() throws Exception {
    MockCluster.serveIstio(server, "v1alpha3");
    startWatcher(OPTIONS);
    assertEquals("v1alpha3", watcher.servedVersions().get(IstioKind.SIDECAR));
    apply(client, SIDECAR.replace("networking.istio.io/v1", "networking.istio.io/v1alpha3"));
    ConfigSnapshot s = snapshots.await("the v1alpha3 Sidecar", x -> x.sidecars().size() == 1);
    assertEquals(List.of(), s.diagnostics());
    assertEquals(
        "networking.istio.io/v1alpha3",
        watcher.lastRead().stream().filter(r -> r.kind().equals("Sidecar")).findFirst().orElseThrow().apiVersion());
  }

  private static final String AUTHORIZATION_POLICY =
      """
      apiVersion: security.istio.io/v1
      kind: AuthorizationPolicy
      metadata: {name: egress-allow, namespace: istio-system}
      spec:
        selector: {matchLabels: {istio: egressgateway}}
        rules:
        - from: [{source: {namespaces: [apps]}}]
          to: [{operation: {hosts: [httpbin.org], ports: ["443"]}}]
      """;

  /** The guide's local rate limit, as a user applies it. */
  private static final String ENVOY_FILTER =
      """
      apiVersion: networking.istio.io/v1alpha3
      kind: EnvoyFilter
      metadata: {name: filter-local-ratelimit-svc, namespace: istio-system}
      spec:
        workloadSelector: {labels: {istio: egressgateway}}
        configPatches:
        - applyTo: HTTP_FILTER
          match:
            context: GATEWAY
            listener:
              filterChain:
                filter:
                  name: envoy.filters.network.http_connection_manager
                  subFilter: {name: envoy.filters.http.router}
          patch:
            operation: INSERT_BEFORE
            value:
              name: envoy.filters.http.local_ratelimit
              typed_config:
                "@type": type.googleapis.com/udpa.type.v1.TypedStruct
                type_url: type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit
                value:
                  stat_prefix: http_local_rate_limiter
                  token_bucket: {max_tokens: 4, tokens_per_fill: 4, fill_interval: 60s}
      """;

  @Test
  void authorizationPoliciesAndEnvoyFiltersFollowTheCluster() throws Exception {
    MockCluster.serveIstio(server, "v1");
    startWatcher(OPTIONS);
    assertEquals("v1", watcher.servedVersions().get(IstioKind.AUTHORIZATION_POLICY));
    assertEquals("v1alpha3", watcher.servedVersions().get(IstioKind.ENVOY_FILTER));
    snapshots.await("the synced empty cluster", s -> true);

    apply(client, AUTHORIZATION_POLICY);
    apply(client, ENVOY_FILTER);
    ConfigSnapshot both =
        snapshots.await(
            "the policy and the filter",
            s -> s.authorizationPolicies().size() == 1 && s.envoyFilters().size() == 1);
    assertEquals(List.of(), both.diagnostics(), "objects as the API server returns them read cleanly");
    AuthorizationPolicy policy = both.authorizationPolicies().get(0);
    assertEquals(
        "kubernetes:AuthorizationPolicy/istio-system/egress-allow, document 1",
        policy.metadata().origin());
    assertEquals(List.of(443), policy.rules().get(0).to().get(0).ports());
    EnvoyFilter.Patch patch = both.envoyFilters().get(0).configPatches().get(0);
    assertEquals(EnvoyFilter.Operation.INSERT_BEFORE, patch.operation());
    String value = patch.valueJson().orElseThrow();
    assertTrue(
        value.contains("\"@type\":\"type.googleapis.com/udpa.type.v1.TypedStruct\"")
            && value.contains("\"max_tokens\":4"),
        "the value survives the API server's JSON unchanged: " + value);
    assertEquals(
        ImmutableSet.of("security.istio.io/v1 AuthorizationPolicy", "networking.istio.io/v1alpha3 EnvoyFilter"),
        watcher.lastRead().stream()
            .map(r -> r.apiVersion() + " " + r.kind())
            .collect(ImmutableSet.toImmutableSet()),
        "both get status like the other Istio kinds");

    apply(client, AUTHORIZATION_POLICY.replace("\"443\"", "\"8443\""));
    snapshots.await(
        "the updated policy",
        s -> s.authorizationPolicies().size() == 1
            && s.authorizationPolicies().get(0).rules().get(0).to().get(0).ports().equals(List.of(8443)));

    delete(client, AUTHORIZATION_POLICY);
    delete(client, ENVOY_FILTER);
    snapshots.await("both gone", s -> s.equals(ConfigSnapshot.EMPTY));
  }

  @Test
  void authorizationPoliciesAreReadAtV1beta1WhereV1IsNotServed() throws Exception {
    MockCluster.serveIstio(server, "v1beta1");
    startWatcher(OPTIONS);
    assertEquals("v1beta1", watcher.servedVersions().get(IstioKind.AUTHORIZATION_POLICY));
    apply(client, AUTHORIZATION_POLICY.replace("security.istio.io/v1", "security.istio.io/v1beta1"));
    ConfigSnapshot s = snapshots.await("the v1beta1 policy", x -> x.authorizationPolicies().size() == 1);
    assertEquals(List.of(), s.diagnostics());
    assertEquals(
        "security.istio.io/v1beta1",
        watcher.lastRead().stream()
            .filter(r -> r.kind().equals("AuthorizationPolicy"))
            .findFirst()
            .orElseThrow()
            .apiVersion());
  }

  @Test
  void diagnosticsAreTheFileSourcesAndAnInvalidUpdateKeepsTheLastGoodVersion() throws Exception {
    MockCluster.serveIstio(server, "v1");
    startWatcher(OPTIONS);
    apply(client, VIRTUAL_SERVICE);
    snapshots.await("the VirtualService", s -> s.virtualServices().size() == 1);

    String broken = VIRTUAL_SERVICE.replace("number: 80", "number: 99999").replace("hosts: [httpbin.org]\n", "hosts: [httpbin.org]\n  hostz: [typo]\n");
    apply(client, broken);
    ConfigSnapshot s =
        snapshots.await("an error diagnostic", x -> x.diagnostics().stream().anyMatch(Diagnostic::isError));
    assertEquals(
        List.of("httpbin.org"),
        virtualService(s, "direct-httpbin").orElseThrow().hosts(),
        "the last good version stays in effect");

    // The same object as a file gives the same findings (file mode: the last good version is
    // absent, so there is no "last good version" note).
    ConfigSnapshot asFile =
        new SnapshotAssembler().assemble(List.of(new SourceFile("vs.yaml", broken)), ConfigSnapshot.EMPTY);
    List<String> fromFile = asFile.diagnostics().stream().map(d -> d.subject() + " " + d.field() + ": " + d.message()).toList();
    List<String> fromCluster =
        s.diagnostics().stream()
            .filter(d -> !d.message().contains("last good version"))
            .map(d -> d.subject() + " " + d.field() + ": " + d.message())
            .toList();
    assertFalse(fromFile.isEmpty());
    assertEquals(fromFile, fromCluster);
  }
}
