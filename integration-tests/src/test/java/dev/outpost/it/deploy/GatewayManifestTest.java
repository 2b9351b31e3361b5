package dev.outpost.it.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.net.HostAndPort;
import dev.outpost.server.bootstrap.BootstrapBuilder;
import dev.outpost.server.bootstrap.ProtoYaml;
import dev.outpost.server.dump.JsonTypes;
import dev.outpost.server.xds.NodeIdentities;
import dev.outpost.translator.api.ProxyIdentity;
import dev.outpost.translator.api.ProxyRole;
import dev.outpost.translator.check.SnapshotChecker;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Sysctl;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The egress gateway: stock Envoy, its bootstrap in step with the control plane and the builder. */
class GatewayManifestTest {
  private final DeployManifests manifests = DeployManifests.load();
  private final Gateway gateway = Gateway.of(manifests);
  private final ControlPlane controlPlane = ControlPlane.of(manifests);
  private final PodSpec pod = gateway.deployment().getSpec().getTemplate().getSpec();
  private final Map<String, String> podLabels = gateway.deployment().getSpec().getTemplate().getMetadata().getLabels();

  @Test
  void runsTheStockEnvoyImagePinnedToTheReleaseTheEndToEndTestsUse() throws ReflectiveOperationException {
    String image = gateway.envoy().getImage();
    assertTrue(image.matches("envoyproxy/envoy:v1\\.\\d+\\.\\d+"), "stock Envoy pinned to a release tag, not " + image);
    var field = Class.forName("dev.outpost.it.e2e.DockerEnvoy").getDeclaredField("DEFAULT_IMAGE");
    field.setAccessible(true);
    assertEquals(field.get(null), image, "the gateway runs the Envoy the end-to-end tests run");
  }

  @Test
  void carriesTheLabelsTheIstioGuidesSelect() {
    assertEquals("egressgateway", podLabels.get("istio"));
    assertEquals("istio-egressgateway", podLabels.get("app"));
    assertSubset(gateway.deployment().getSpec().getSelector().getMatchLabels(), podLabels, "Deployment selector");
    assertSubset(gateway.service().getSpec().getSelector(), podLabels, "Service selector");
    assertEquals("istio-egressgateway", gateway.service().getMetadata().getName(), "the guides' mesh routes name this Service");
  }

  @Test
  void bootstrapIsWhatBootstrapBuilderMakesForThisPodAndThisControlPlane() {
    // Everything the builder needs, taken from the other manifests rather than repeated here: if
    // the Service, the namespace, the labels or the service account change, the committed file
    // must be regenerated.
    ServicePort xds = servicePort(controlPlane, "grpc-xds");
    HostAndPort xdsAddress = HostAndPort.fromParts(
        controlPlane.service().getMetadata().getName() + "." + controlPlane.service().getMetadata().getNamespace() + ".svc", xds.getPort());
    ProxyIdentity proxy = ProxyIdentity.of(
        gateway.deployment().getMetadata().getName() + "." + gateway.namespace(),
        ProxyRole.GATEWAY,
        gateway.namespace(),
        pod.getServiceAccountName(),
        podLabels);
    BootstrapBuilder.Options options = new BootstrapBuilder.Options(
        xdsAddress, proxy, gateway.args().required("--service-cluster"), false, "127.0.0.1", 15000, statsPort(), healthPort());
    Bootstrap expected = new BootstrapBuilder().build(options);

    assertEquals(
        new ProtoYaml(JsonTypes.registry()).print(expected).stripTrailing(),
        committedBootstrapYaml().stripTrailing(),
        "deploy/base/gateway-bootstrap.yaml is stale: run deploy/base/generate-gateway-bootstrap.sh and commit the result");
    assertTrue(new SnapshotChecker().checkConstraints("Bootstrap", "gateway", expected).ok(), "Envoy would refuse the bootstrap");
  }

  @Test
  void bootstrapReachesTheControlPlaneServiceOnItsXdsPort() throws IOException {
    Bootstrap bootstrap = committedBootstrap();
    Cluster xdsCluster = bootstrap.getStaticResources().getClustersList().stream()
        .filter(c -> c.getName().equals(BootstrapBuilder.XDS_CLUSTER)).findFirst().orElseThrow();
    SocketAddress address = xdsCluster.getLoadAssignment().getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress().getSocketAddress();
    assertEquals(controlPlane.service().getMetadata().getName() + "." + controlPlane.service().getMetadata().getNamespace() + ".svc", address.getAddress());
    ServicePort xds = servicePort(controlPlane, "grpc-xds");
    assertEquals(xds.getPort(), address.getPortValue(), "bootstrap xDS port = Service port grpc-xds");
    assertEquals(controlPlane.xdsPort(), xds.getTargetPort().getIntVal(), "Service grpc-xds targets serve --xds-port");
  }

  @Test
  void nodeIdIsThePodAndMetadataMatchesThePod() throws Exception {
    // Envoy's --service-node replaces node.id: Outpost looks the pod up by POD_NAME.NAMESPACE.
    String nodeId = gateway.args().required("--service-node");
    assertEquals(PodArgs.POD_NAME + "." + gateway.namespace(), nodeId);
    Bootstrap bootstrap = committedBootstrap();
    // The node as Envoy sends it, read the way the server reads it.
    ProxyIdentity identity = NodeIdentities.fromNode(bootstrap.getNode().toBuilder().setId(nodeId).build());
    assertEquals(
        ProxyIdentity.of(nodeId, ProxyRole.GATEWAY, gateway.namespace(), pod.getServiceAccountName(), podLabels),
        identity,
        "the node metadata must describe this pod (in Kubernetes mode Outpost refuses a node whose metadata disagrees with its pod)");
    assertEquals(bootstrap.getNode().getCluster(), gateway.args().required("--service-cluster"));
  }

  @Test
  void envoyReadsTheBootstrapFromTheConfigMap() {
    String configPath = gateway.args().required("-c");
    Volume volume = pod.getVolumes().stream()
        .filter(v -> v.getConfigMap() != null && Gateway.BOOTSTRAP.equals(v.getConfigMap().getName()))
        .findFirst().orElseThrow(() -> new AssertionError("no volume of ConfigMap " + Gateway.BOOTSTRAP));
    VolumeMount mount = gateway.envoy().getVolumeMounts().stream()
        .filter(m -> m.getName().equals(volume.getName())).findFirst().orElseThrow();
    assertEquals(mount.getMountPath() + "/" + Gateway.BOOTSTRAP_KEY, configPath);
    assertEquals(java.util.List.of("envoy"), gateway.envoy().getCommand(), "Envoy itself, not the image's entrypoint script");
  }

  @Test
  void readinessAndPrometheusUseTheBootstrapsStatsListenerNotTheAdmin() throws IOException {
    Bootstrap bootstrap = committedBootstrap();
    assertEquals("127.0.0.1", bootstrap.getAdmin().getAddress().getSocketAddress().getAddress(),
        "Envoy's admin API can reconfigure and stop Envoy: it stays on loopback");
    int adminPort = bootstrap.getAdmin().getAddress().getSocketAddress().getPortValue();
    assertFalse(gateway.envoy().getPorts().stream().anyMatch(p -> p.getContainerPort() == adminPort), "admin port exposed");

    Listener stats = bootstrap.getStaticResources().getListenersList().stream()
        .filter(l -> l.getName().equals(BootstrapBuilder.STATS_LISTENER)).findFirst().orElseThrow();
    assertEquals("0.0.0.0", stats.getAddress().getSocketAddress().getAddress());
    int statsPort = stats.getAddress().getSocketAddress().getPortValue();

    // Readiness is the admin's /ready, reached through the health listener (Istio's 15021).
    Listener health = bootstrap.getStaticResources().getListenersList().stream()
        .filter(l -> l.getName().equals(BootstrapBuilder.HEALTH_LISTENER)).findFirst().orElseThrow();
    assertEquals("0.0.0.0", health.getAddress().getSocketAddress().getAddress());
    Probe readiness = gateway.envoy().getReadinessProbe();
    assertNotNull(readiness, "readiness probe");
    assertEquals(health.getAddress().getSocketAddress().getPortValue(), readiness.getHttpGet().getPort().getIntVal());
    assertEquals(BootstrapBuilder.HEALTH_PATH, readiness.getHttpGet().getPath(), "the only path the health listener routes");
    assertTrue(gateway.envoy().getPorts().stream().anyMatch(p -> p.getContainerPort() == healthPort()));

    Map<String, String> annotations = gateway.deployment().getSpec().getTemplate().getMetadata().getAnnotations();
    assertEquals("true", annotations.get("prometheus.io/scrape"));
    assertEquals(String.valueOf(statsPort), annotations.get("prometheus.io/port"));
    assertEquals("/stats/prometheus", annotations.get("prometheus.io/path"));
    assertTrue(gateway.envoy().getPorts().stream().anyMatch(p -> p.getContainerPort() == statsPort));
  }

  @Test
  void servicePortsReachEnvoyOn80And443() {
    Set<Integer> containerPorts = gateway.envoy().getPorts().stream().map(ContainerPort::getContainerPort).collect(Collectors.toSet());
    Set<Integer> servicePorts = gateway.service().getSpec().getPorts().stream().map(ServicePort::getPort).collect(Collectors.toSet());
    assertEquals(Set.of(80, 443), servicePorts);
    for (ServicePort port : gateway.service().getSpec().getPorts()) {
      IntOrString target = port.getTargetPort();
      // Outpost's listeners bind the Gateway's server port itself (0.0.0.0_80), so the Service
      // must not remap it.
      assertEquals(port.getPort(), target.getIntVal(), "Service port " + port.getName() + " targets the same port");
      assertTrue(containerPorts.contains(target.getIntVal()), "container port " + target.getIntVal());
    }
  }

  @Test
  void lowPortsAsNonRootThroughTheUnprivilegedPortSysctl() {
    int lowest = gateway.envoy().getPorts().stream().mapToInt(ContainerPort::getContainerPort).min().orElseThrow();
    assertTrue(lowest < 1024, "this test is about the low ports");
    Sysctl sysctl = pod.getSecurityContext().getSysctls().stream()
        .filter(s -> s.getName().equals("net.ipv4.ip_unprivileged_port_start")).findFirst()
        .orElseThrow(() -> new AssertionError("Envoy (uid " + pod.getSecurityContext().getRunAsUser() + ") cannot bind " + lowest));
    assertTrue(Integer.parseInt(sysctl.getValue()) <= lowest);
    assertEquals(101L, pod.getSecurityContext().getRunAsUser(), "the envoy user of the stock image");
  }

  @Test
  void scalesThreeToTenAndDisruptsOneAtATimeAcrossZonesAndNodes() {
    HorizontalPodAutoscaler hpa = manifests.one(Gateway.DIR, HorizontalPodAutoscaler.class, Gateway.NAME);
    assertEquals("Deployment", hpa.getSpec().getScaleTargetRef().getKind());
    assertEquals(gateway.deployment().getMetadata().getName(), hpa.getSpec().getScaleTargetRef().getName());
    assertEquals(3, hpa.getSpec().getMinReplicas());
    assertEquals(10, hpa.getSpec().getMaxReplicas());
    assertEquals(hpa.getSpec().getMinReplicas(), gateway.deployment().getSpec().getReplicas());
    MetricSpec cpu = hpa.getSpec().getMetrics().stream()
        .filter(m -> m.getResource() != null && m.getResource().getName().equals("cpu")).findFirst().orElseThrow();
    assertNotNull(cpu.getResource().getTarget().getAverageUtilization());
    assertNotNull(gateway.envoy().getResources().getRequests().get("cpu"), "CPU utilization needs a CPU request");

    PodDisruptionBudget pdb = manifests.one(Gateway.DIR, PodDisruptionBudget.class, Gateway.NAME);
    assertSubset(pdb.getSpec().getSelector().getMatchLabels(), podLabels, "PDB selector");
    assertEquals(1, pdb.getSpec().getMaxUnavailable().getIntVal());

    Set<String> keys = pod.getTopologySpreadConstraints().stream().map(TopologySpreadConstraint::getTopologyKey).collect(Collectors.toSet());
    assertEquals(Set.of("topology.kubernetes.io/zone", "kubernetes.io/hostname"), keys);
    for (TopologySpreadConstraint constraint : pod.getTopologySpreadConstraints()) {
      assertSubset(constraint.getLabelSelector().getMatchLabels(), podLabels, "spread selector");
    }
  }

  private int healthPort() {
    return gateway.envoy().getReadinessProbe().getHttpGet().getPort().getIntVal();
  }

  private int statsPort() {
    return Integer.parseInt(gateway.deployment().getSpec().getTemplate().getMetadata().getAnnotations().get("prometheus.io/port"));
  }

  private String committedBootstrapYaml() {
    String yaml = gateway.bootstrap().getData().get(Gateway.BOOTSTRAP_KEY);
    assertNotNull(yaml, "ConfigMap " + Gateway.BOOTSTRAP + " has no " + Gateway.BOOTSTRAP_KEY);
    return yaml;
  }

  private Bootstrap committedBootstrap() throws IOException {
    return new ProtoYaml(JsonTypes.registry()).parse(committedBootstrapYaml(), Bootstrap.newBuilder()).build();
  }

  static ServicePort servicePort(ControlPlane controlPlane, String name) {
    return controlPlane.service().getSpec().getPorts().stream().filter(p -> p.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("Service " + controlPlane.service().getMetadata().getName() + " has no port " + name));
  }

  static void assertSubset(Map<String, String> selector, Map<String, String> labels, String what) {
    assertFalse(selector == null || selector.isEmpty(), what + " is empty");
    selector.forEach((k, v) -> assertEquals(v, labels.get(k), what + " " + k + "=" + v + " does not match the pod's labels"));
  }
}
