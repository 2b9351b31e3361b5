package dev.outpost.it.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import dev.outpost.it.e2e.OutpostProcess;
import dev.outpost.server.bootstrap.BootstrapBuilder;
import dev.outpost.server.bootstrap.ProtoYaml;
import dev.outpost.server.dump.JsonTypes;
import dev.outpost.server.source.ConfigDirReader;
import dev.outpost.server.xds.NodeIdentities;
import dev.outpost.translator.Translator;
import dev.outpost.translator.api.ProxyIdentity;
import dev.outpost.translator.api.ProxyRole;
import dev.outpost.translator.api.SourceFile;
import dev.outpost.translator.api.Translation;
import dev.outpost.translator.api.TranslationContext;
import dev.outpost.translator.diag.Diagnostic;
import dev.outpost.translator.model.ConfigSnapshot;
import dev.outpost.translator.parse.SnapshotAssembler;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * deploy/examples/client-sidecar: the workload sleep with its client proxy (stock Envoy beside it)
 * and Istio's manifests for the path sleep → client proxy → egress gateway → httpbin.org. The
 * proxy's bootstrap is what {@code outpost bootstrap --role client} prints for this pod and this
 * control plane, the app uses the proxy's listener, the proxy is locked down like the gateway, and
 * the gateway half translates without errors for the gateway deploy/base installs.
 */
class ClientSidecarExampleManifestTest {
  static final String DIR = "examples/client-sidecar";
  private static final String BOOTSTRAP = "sleep-outpost-bootstrap";
  private static final String BOOTSTRAP_KEY = "envoy.yaml";
  /** The client proxy's HTTP proxy listener: the translator's fixed port, on the Sidecar's bind (127.0.0.1 unless set). */
  private static final String PROXY_URL = "http://127.0.0.1:15080";
  private static final String GATEWAY_HOST = "istio-egressgateway.istio-system.svc.cluster.local";

  private final DeployManifests manifests = DeployManifests.load();
  private final Gateway gateway = Gateway.of(manifests);
  private final ControlPlane controlPlane = ControlPlane.of(manifests);
  private final Deployment sleep = manifests.one(DIR, Deployment.class, "sleep");
  private final PodSpec pod = sleep.getSpec().getTemplate().getSpec();
  private final Map<String, String> podLabels = sleep.getSpec().getTemplate().getMetadata().getLabels();
  private final Container app = container("sleep");
  private final Container proxy = container("outpost-proxy");
  private final PodArgs proxyArgs = PodArgs.of(sleep, proxy);

  @Test
  void bootstrapIsWhatOutpostBootstrapPrintsForThisPodAndThisControlPlane() throws Exception {
    // The values come from the other manifests, not from the generator script: if the control
    // plane's Service, the pod's namespace, labels or service account change, the committed
    // bootstrap must be regenerated.
    ServicePort xds = GatewayManifestTest.servicePort(controlPlane, "grpc-xds");
    String printed = OutpostProcess.run(
        "bootstrap",
        "--xds-address", controlPlane.service().getMetadata().getName() + "." + controlPlane.service().getMetadata().getNamespace() + ":" + xds.getPort(),
        "--node-id", sleep.getMetadata().getName() + "." + namespace(),
        "--namespace", namespace(),
        "--labels", podLabels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).sorted().collect(Collectors.joining(",")),
        "--service-account", pod.getServiceAccountName(),
        "--role", "client",
        "--cluster", proxyArgs.required("--service-cluster"),
        "--sotw",
        "--admin-address", "127.0.0.1",
        "--admin-port", "15000",
        "--stats-port", Integer.toString(containerPort("http-envoy-prom")),
        "--health-port", Integer.toString(proxy.getReadinessProbe().getHttpGet().getPort().getIntVal()));

    assertEquals(printed.stripTrailing(), committedBootstrapYaml().stripTrailing(),
        "deploy/" + DIR + "/sleep-bootstrap.yaml is stale: run deploy/" + DIR + "/generate-sleep-bootstrap.sh and commit the result");
  }

  @Test
  void nodeIdIsThePodAndTheMetadataDescribesItAsAClientProxy() throws Exception {
    String nodeId = proxyArgs.required("--service-node");
    assertEquals(PodArgs.POD_NAME + "." + namespace(), nodeId);
    Bootstrap bootstrap = committedBootstrap();
    ProxyIdentity identity = NodeIdentities.fromNode(bootstrap.getNode().toBuilder().setId(nodeId).build());
    assertEquals(ProxyIdentity.of(nodeId, ProxyRole.CLIENT, namespace(), pod.getServiceAccountName(), podLabels), identity,
        "in Kubernetes mode Outpost refuses a node whose metadata disagrees with its pod");
    assertEquals(bootstrap.getNode().getCluster(), proxyArgs.required("--service-cluster"));
    assertEquals(namespace(), manifests.one(DIR, io.fabric8.kubernetes.api.model.ServiceAccount.class, pod.getServiceAccountName()).getMetadata().getNamespace());
  }

  @Test
  void theAppSendsItsTrafficToTheProxyListener() {
    Map<String, String> env = app.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    assertEquals(PROXY_URL, env.get("http_proxy"));
    assertEquals(PROXY_URL, env.get("https_proxy"));
    assertEquals(Set.of("localhost", "127.0.0.1"), Set.of(env.get("no_proxy").split(",")), "loopback (the proxy's health port) is not proxied");
    // The listener is on 127.0.0.1 because the namespace's Sidecar sets no bind.
    GenericKubernetesResource sidecar = istio("Sidecar").get(0);
    assertEquals(namespace(), sidecar.getMetadata().getNamespace());
    Map<?, ?> egress = (Map<?, ?>) ((List<?>) spec(sidecar).get("egress")).get(0);
    assertTrue(!egress.containsKey("bind") && !egress.containsKey("port"), "the HTTP proxy listener keeps 127.0.0.1:15080: " + egress);
    assertEquals(List.of("./*", gateway.namespace() + "/*"), egress.get("hosts"), "its own hosts and the gateway's Service");
  }

  @Test
  void theProxyIsTheGatewaysStockEnvoyLockedDownTheSameWay() {
    assertEquals(gateway.envoy().getImage(), proxy.getImage(), "the Envoy release the gateway (and the end-to-end tests) run");
    assertEquals(List.of("envoy"), proxy.getCommand(), "Envoy itself, not the image's entrypoint script");
    assertEquals(gateway.envoy().getSecurityContext(), proxy.getSecurityContext());
    PodSpec gatewayPod = gateway.deployment().getSpec().getTemplate().getSpec();
    assertEquals(gatewayPod.getSecurityContext().getRunAsUser(), pod.getSecurityContext().getRunAsUser(), "the envoy user of the image");
    assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot());
    assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken(), "neither container talks to the API server");
    assertTrue(proxyArgs.has("--disable-hot-restart"));
  }

  @Test
  void envoyReadsTheBootstrapFromTheConfigMapAndIsReadyThroughItsHealthListener() throws IOException {
    Volume volume = pod.getVolumes().stream()
        .filter(v -> v.getConfigMap() != null && BOOTSTRAP.equals(v.getConfigMap().getName()))
        .findFirst().orElseThrow(() -> new AssertionError("no volume of ConfigMap " + BOOTSTRAP));
    VolumeMount mount = proxy.getVolumeMounts().stream().filter(m -> m.getName().equals(volume.getName())).findFirst().orElseThrow();
    assertEquals(mount.getMountPath() + "/" + BOOTSTRAP_KEY, proxyArgs.required("-c"));

    Bootstrap bootstrap = committedBootstrap();
    assertEquals("127.0.0.1", bootstrap.getAdmin().getAddress().getSocketAddress().getAddress(), "the admin API stays on loopback");
    Listener health = bootstrap.getStaticResources().getListenersList().stream()
        .filter(l -> l.getName().equals(BootstrapBuilder.HEALTH_LISTENER)).findFirst().orElseThrow();
    Probe readiness = proxy.getReadinessProbe();
    assertEquals(health.getAddress().getSocketAddress().getPortValue(), readiness.getHttpGet().getPort().getIntVal());
    assertEquals(BootstrapBuilder.HEALTH_PATH, readiness.getHttpGet().getPath());
    assertTrue(String.join(" ", app.getReadinessProbe().getExec().getCommand())
            .contains(":" + health.getAddress().getSocketAddress().getPortValue() + BootstrapBuilder.HEALTH_PATH),
        "the app is ready when its proxy is");
  }

  @Test
  void theMeshHalfGoesToTheInstalledGatewaysServiceAndTheGatewayHalfToItsServerPort() {
    Set<Integer> servicePorts = gateway.service().getSpec().getPorts().stream().map(ServicePort::getPort).collect(Collectors.toSet());
    assertEquals(gateway.service().getMetadata().getName() + "." + gateway.namespace() + ".svc.cluster.local", GATEWAY_HOST);
    GenericKubernetesResource vs = istio("VirtualService").get(0);
    List<?> http = (List<?>) spec(vs).get("http");
    Map<?, ?> meshDestination = destination(http.get(0));
    assertEquals(GATEWAY_HOST, meshDestination.get("host"));
    int meshPort = ((Number) ((Map<?, ?>) meshDestination.get("port")).get("number")).intValue();
    assertTrue(servicePorts.contains(meshPort), "port " + meshPort + " of Service " + GATEWAY_HOST);

    GenericKubernetesResource istioGateway = istio("Gateway").get(0);
    GatewayManifestTest.assertSubset(stringMap(spec(istioGateway).get("selector")), gateway.deployment().getSpec().getTemplate().getMetadata().getLabels(), "Gateway selector");
    Map<?, ?> server = (Map<?, ?>) ((List<?>) spec(istioGateway).get("servers")).get(0);
    int serverPort = ((Number) ((Map<?, ?>) server.get("port")).get("number")).intValue();
    assertEquals(meshPort, serverPort, "the Service does not remap ports: mesh traffic to " + meshPort + " reaches this server");
    assertEquals("ISTIO_MUTUAL", ((Map<?, ?>) server.get("tls")).get("mode"));
    Map<?, ?> gatewayMatch = (Map<?, ?>) ((List<?>) ((Map<?, ?>) http.get(1)).get("match")).get(0);
    assertEquals(serverPort, ((Number) gatewayMatch.get("port")).intValue());
  }

  @Test
  void theGatewayHalfTranslatesWithoutErrorsForTheInstalledGateway() throws IOException {
    ProxyIdentity gatewayPod = ProxyIdentity.of(
        PodArgs.POD_NAME + "." + gateway.namespace(),
        ProxyRole.GATEWAY,
        gateway.namespace(),
        gateway.deployment().getSpec().getTemplate().getSpec().getServiceAccountName(),
        gateway.deployment().getSpec().getTemplate().getMetadata().getLabels());

    Translation translation = translate(gatewayPod);

    Set<String> listeners = translation.resources().listeners().stream().map(Listener::getName).collect(Collectors.toSet());
    assertTrue(listeners.contains("0.0.0.0_443"), "the ISTIO_MUTUAL server: " + listeners);
    Cluster httpbin = cluster(translation, "outbound|443||httpbin.org");
    assertEquals("envoy.transport_sockets.tls", httpbin.getTransportSocket().getName(), "the gateway originates TLS to httpbin.org:443");
    assertTrue(translation.resources().clusters().stream().noneMatch(c -> c.getName().contains(GATEWAY_HOST)),
        "the mesh half is for client proxies");
  }

  @Test
  void theClientHalfTranslatesWithoutErrorsForTheSleepPod() throws IOException {
    ProxyIdentity sleepPod = ProxyIdentity.of(
        PodArgs.POD_NAME + "." + namespace(), ProxyRole.CLIENT, namespace(), pod.getServiceAccountName(), podLabels);

    Translation translation = translate(sleepPod);

    Set<String> listeners = translation.resources().listeners().stream().map(Listener::getName).collect(Collectors.toSet());
    assertTrue(listeners.contains("127.0.0.1_15080"), "the listener http_proxy points at: " + listeners);
    assertTrue(translation.resources().routes().stream().map(RouteConfiguration::getName).anyMatch("http_proxy"::equals));
    Cluster toGateway = cluster(translation, "outbound|443||" + GATEWAY_HOST);
    assertEquals("envoy.transport_sockets.tls", toGateway.getTransportSocket().getName(), "mesh mTLS to the gateway");
    assertTrue(toGateway.getTransportSocket().getTypedConfig().toString().contains("httpbin.org"), "SNI httpbin.org");
  }

  /**
   * Translates the example together with deploy/base's gateway Service, which in a cluster is how
   * client proxies know the gateway (Outpost reads Services in Kubernetes mode). Fails on errors.
   */
  private static Translation translate(ProxyIdentity proxy) throws IOException {
    ConfigDirReader.Result example = new ConfigDirReader().read(DeployManifests.ROOT.resolve(DIR));
    Path service = DeployManifests.ROOT.resolve(Gateway.DIR).resolve("gateway-service.yaml");
    ImmutableList<SourceFile> files = ImmutableList.<SourceFile>builder()
        .addAll(example.files())
        .add(new SourceFile(DeployManifests.ROOT.relativize(service).toString(), Files.readString(service)))
        .build();
    ConfigSnapshot snapshot = example.addDiagnosticsTo(new SnapshotAssembler().assemble(files, ConfigSnapshot.EMPTY));
    Translation translation = new Translator().translate(snapshot, proxy, TranslationContext.at(Instant.parse("2026-06-01T00:00:00Z")));
    List<Diagnostic> errors = Stream.concat(snapshot.diagnostics().stream(), translation.diagnostics().stream())
        .filter(Diagnostic::isError).toList();
    assertEquals(List.of(), errors);
    return translation;
  }

  private static Cluster cluster(Translation translation, String name) {
    return translation.resources().clusters().stream().filter(c -> c.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no cluster " + name + ": "
            + translation.resources().clusters().stream().map(Cluster::getName).toList()));
  }

  private String namespace() {
    return sleep.getMetadata().getNamespace();
  }

  private Container container(String name) {
    return pod.getContainers().stream().filter(c -> c.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no container " + name + " in Deployment sleep"));
  }

  private int containerPort(String name) {
    return proxy.getPorts().stream().filter(p -> name.equals(p.getName())).findFirst()
        .orElseThrow(() -> new AssertionError("no port " + name)).getContainerPort();
  }

  private String committedBootstrapYaml() {
    String yaml = manifests.one(DIR, ConfigMap.class, BOOTSTRAP).getData().get(BOOTSTRAP_KEY);
    assertNotNull(yaml, "ConfigMap " + BOOTSTRAP + " has no " + BOOTSTRAP_KEY);
    return yaml;
  }

  private Bootstrap committedBootstrap() throws IOException {
    return new ProtoYaml(JsonTypes.registry()).parse(committedBootstrapYaml(), Bootstrap.newBuilder()).build();
  }

  private List<GenericKubernetesResource> istio(String kind) {
    return manifests.all(DIR, GenericKubernetesResource.class).stream().filter(r -> r.getKind().equals(kind)).toList();
  }

  private static Map<?, ?> destination(Object httpRule) {
    return (Map<?, ?>) ((Map<?, ?>) ((List<?>) ((Map<?, ?>) httpRule).get("route")).get(0)).get("destination");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource resource) {
    return (Map<String, Object>) resource.getAdditionalProperties().get("spec");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> stringMap(Object value) {
    return (Map<String, String>) value;
  }
}
