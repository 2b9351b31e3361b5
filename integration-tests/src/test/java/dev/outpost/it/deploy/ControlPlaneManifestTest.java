package dev.outpost.it.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.outpost.server.k8s.PeerAddressCheck;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The control plane: its flags, ports, probes and image agree with each other. */
class ControlPlaneManifestTest {
  private final DeployManifests manifests = DeployManifests.load();
  private final ControlPlane controlPlane = ControlPlane.of(manifests);

  @Test
  void servesInKubernetesModeWithLeaderElection() {
    List<String> args = controlPlane.args().list();
    assertEquals("serve", args.get(0));
    assertTrue(controlPlane.args().has("--kubernetes"), "reads the cluster: " + args);
    assertFalse(controlPlane.args().has("--config-dir"), "Kubernetes mode reads no directory");
    assertTrue(controlPlane.args().has("--leader-elect"), "several replicas: only the leader writes status");
    assertEquals(2, controlPlane.deployment().getSpec().getReplicas());
    assertEquals(controlPlane.namespace(), controlPlane.systemNamespace(), "Lease and CA Secret live in the control plane's namespace");
    assertEquals(PodArgs.POD_NAME, controlPlane.args().required("--pod-name"), "the Lease holder identity is the pod's name");
  }

  @Test
  void proxiesMustConnectFromTheirPodsAddress() {
    // The gateway pods reach Outpost through its ClusterIP Service, which keeps their source
    // address: the check is left on (its default), so a node id only counts from its own pod.
    picocli.CommandLine.ParseResult parsed = dev.outpost.server.cli.OutpostCli.commandLine().parseArgs(expandedArgs().toArray(String[]::new));
    assertEquals(PeerAddressCheck.ENFORCE, parsed.subcommand().matchedOptionValue("--peer-address-check", PeerAddressCheck.ENFORCE),
        "the Deployment turns the peer address check off: " + controlPlane.args().list());
  }

  private List<String> expandedArgs() {
    return controlPlane.args().list().stream()
        .map(a -> a.replace("$(POD_NAMESPACE)", controlPlane.namespace()).replace("$(POD_NAME)", "outpost-0"))
        .toList();
  }

  @Test
  void everyArgumentIsAFlagTheRealServeCommandAccepts() {
    // The Deployment's args as the container gets them ($(POD_*) expanded by the kubelet), parsed by
    // the real CLI: a flag the server does not know would crash-loop every replica.
    List<String> args = expandedArgs();
    picocli.CommandLine cli = dev.outpost.server.cli.OutpostCli.commandLine();
    picocli.CommandLine.ParseResult parsed = cli.parseArgs(args.toArray(String[]::new));
    assertTrue(parsed.hasSubcommand(), "serve is a subcommand: " + args);
    assertTrue(parsed.subcommand().unmatched().isEmpty(), "unknown arguments: " + parsed.subcommand().unmatched());
  }

  @Test
  void serviceAndContainerPortsAreTheServersFlags() {
    ServicePort xds = GatewayManifestTest.servicePort(controlPlane, "grpc-xds");
    ServicePort admin = GatewayManifestTest.servicePort(controlPlane, "http-admin");
    assertEquals(controlPlane.xdsPort(), xds.getTargetPort().getIntVal());
    assertEquals(controlPlane.adminPort(), admin.getTargetPort().getIntVal());
    assertEquals(Map.of("grpc-xds", controlPlane.xdsPort(), "http-admin", controlPlane.adminPort()),
        controlPlane.container().getPorts().stream().collect(java.util.stream.Collectors.toMap(ContainerPort::getName, ContainerPort::getContainerPort)));
    GatewayManifestTest.assertSubset(controlPlane.service().getSpec().getSelector(),
        controlPlane.deployment().getSpec().getTemplate().getMetadata().getLabels(), "Service selector");
  }

  @Test
  void probesUseTheAdminEndpoints() {
    assertProbe(controlPlane.container().getStartupProbe(), "/healthz");
    assertProbe(controlPlane.container().getLivenessProbe(), "/healthz");
    // /readyz stays 503 until the informers have synced: never serve a config built from an empty cache.
    assertProbe(controlPlane.container().getReadinessProbe(), "/readyz");
    Map<String, String> annotations = controlPlane.deployment().getSpec().getTemplate().getMetadata().getAnnotations();
    assertEquals(String.valueOf(controlPlane.adminPort()), annotations.get("prometheus.io/port"));
    assertEquals("/metrics", annotations.get("prometheus.io/path"));
  }

  @Test
  void theAdminPortListensWhereProbesAndPrometheusReachIt() {
    // serve's admin port defaults to loopback; the kubelet's probes and Prometheus connect to the
    // pod IP, so without --admin-address every probe fails and the pods restart forever.
    picocli.CommandLine.ParseResult parsed =
        dev.outpost.server.cli.OutpostCli.commandLine().parseArgs(expandedArgs().toArray(String[]::new));
    String adminAddress = parsed.subcommand().matchedOptionValue("--admin-address", "127.0.0.1");
    assertEquals("0.0.0.0", adminAddress, "serve --admin-address in " + controlPlane.args().list());
  }

  @Test
  void aNodeDrainLeavesOneReplica() {
    PodDisruptionBudget pdb = manifests.one(ControlPlane.DIR, PodDisruptionBudget.class, ControlPlane.NAME);
    GatewayManifestTest.assertSubset(pdb.getSpec().getSelector().getMatchLabels(),
        controlPlane.deployment().getSpec().getTemplate().getMetadata().getLabels(), "PDB selector");
    assertEquals(1, pdb.getSpec().getMaxUnavailable().getIntVal());
  }

  @Test
  void theImageRunsTheFatJarAsTheUserTheDeploymentExpects() throws IOException {
    String dockerfile = Files.readString(DeployManifests.ROOT.resolve("image/Dockerfile"));
    assertTrue(dockerfile.contains("COPY xds-server/target/outpost.jar /opt/outpost/outpost.jar"), "copies the fat jar");
    assertTrue(dockerfile.contains("\"-jar\", \"/opt/outpost/outpost.jar\"]"), "runs the jar, so the Deployment's args are outpost's");
    long uid = controlPlane.deployment().getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser();
    assertTrue(dockerfile.lines().anyMatch(l -> l.equals("USER " + uid + ":" + uid)), "Dockerfile USER is the Deployment's runAsUser " + uid);
    assertTrue(controlPlane.container().getImage().startsWith("outpost:"), "the name kustomize images: overrides");
  }

  private void assertProbe(Probe probe, String path) {
    assertNotNull(probe, "probe for " + path);
    assertEquals(path, probe.getHttpGet().getPath());
    assertEquals(controlPlane.adminPort(), probe.getHttpGet().getPort().getIntVal());
  }
}
