package dev.outpost.server.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import com.google.common.net.HostAndPort;
import dev.outpost.server.cli.OutpostCli;
import dev.outpost.server.dump.JsonTypes;
import dev.outpost.server.xds.NodeIdentities;
import dev.outpost.translator.api.EnvoyResources;
import dev.outpost.translator.api.ProxyIdentity;
import dev.outpost.translator.api.ProxyRole;
import dev.outpost.translator.check.SnapshotChecker;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.ApiConfigSource;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BootstrapBuilderTest {
  private final ProtoYaml yaml = new ProtoYaml(JsonTypes.registry());

  @Test
  void cliOutputParsesBackIntoAValidBootstrap() throws Exception {
    StringWriter out = new StringWriter();
    CommandLine cli = OutpostCli.commandLine();
    cli.setOut(new PrintWriter(out));
    int exit =
        cli.execute(
            "bootstrap", "--xds-address", "outpost.istio-system:18000", "--node-id", "gw-1",
            "--labels", "istio=egressgateway,app=egress", "--delta", "--admin-address", "0.0.0.0");
    assertEquals(0, exit);

    Bootstrap bootstrap = yaml.parse(out.toString(), Bootstrap.newBuilder()).build();

    assertEquals("gw-1", bootstrap.getNode().getId());
    var metadata = bootstrap.getNode().getMetadata().getFieldsMap();
    assertEquals("istio-system", metadata.get(NodeIdentities.NAMESPACE).getStringValue());
    assertEquals("gateway", metadata.get(NodeIdentities.ROLE).getStringValue());
    assertEquals("istio-egressgateway", metadata.get(NodeIdentities.SERVICE_ACCOUNT).getStringValue());
    assertEquals(
        "egress", metadata.get(NodeIdentities.LABELS).getStructValue().getFieldsMap().get("app").getStringValue());

    ApiConfigSource ads = bootstrap.getDynamicResources().getAdsConfig();
    assertEquals(ApiConfigSource.ApiType.DELTA_GRPC, ads.getApiType());
    assertTrue(ads.getSetNodeOnFirstMessageOnly());
    assertEquals("xds_cluster", ads.getGrpcServices(0).getEnvoyGrpc().getClusterName());
    assertTrue(bootstrap.getDynamicResources().getLdsConfig().hasAds());
    assertTrue(bootstrap.getDynamicResources().getCdsConfig().hasAds());

    Cluster xds = bootstrap.getStaticResources().getClusters(0);
    assertEquals(Cluster.DiscoveryType.STRICT_DNS, xds.getType());
    HttpProtocolOptions options =
        xds.getTypedExtensionProtocolOptionsMap().get(BootstrapBuilder.HTTP_PROTOCOL_OPTIONS).unpack(HttpProtocolOptions.class);
    assertTrue(options.getExplicitHttpConfig().hasHttp2ProtocolOptions());
    assertEquals(15000, bootstrap.getAdmin().getAddress().getSocketAddress().getPortValue());
    assertEquals("0.0.0.0", bootstrap.getAdmin().getAddress().getSocketAddress().getAddress());
    // The stats listener always reaches the admin over loopback.
    assertEquals(
        "127.0.0.1",
        bootstrap.getStaticResources().getClusters(1).getLoadAssignment().getEndpoints(0).getLbEndpoints(0)
            .getEndpoint().getAddress().getSocketAddress().getAddress());
    assertEquals(15090, bootstrap.getStaticResources().getListeners(0).getAddress().getSocketAddress().getPortValue());

    // The whole bootstrap passes Envoy's own constraints, through every Any; its static
    // resources also pass the snapshot gate's cross-reference rules.
    var constraints = new SnapshotChecker().checkConstraints("Bootstrap", "egress-1", bootstrap);
    assertTrue(constraints.ok(), constraints.problems().toString());
    var check =
        new SnapshotChecker()
            .check(
                new EnvoyResources(
                    ImmutableList.copyOf(bootstrap.getStaticResources().getListenersList()),
                    ImmutableList.of(),
                    ImmutableList.copyOf(bootstrap.getStaticResources().getClustersList()),
                    ImmutableList.of(),
                    ImmutableList.of()));
    assertTrue(check.ok(), check.problems().toString());
  }

  @Test
  void healthListenerAnswersIstiosReadinessPathFromTheAdminReady() throws Exception {
    Bootstrap bootstrap = bootstrapFor("10.0.0.5:18000");
    io.envoyproxy.envoy.config.listener.v3.Listener health =
        bootstrap.getStaticResources().getListenersList().stream()
            .filter(l -> l.getName().equals(BootstrapBuilder.HEALTH_LISTENER))
            .findFirst()
            .orElseThrow();
    assertEquals("0.0.0.0", health.getAddress().getSocketAddress().getAddress());
    assertEquals(15021, health.getAddress().getSocketAddress().getPortValue());
    io.envoyproxy.envoy.config.route.v3.Route route =
        health.getFilterChains(0).getFilters(0).getTypedConfig()
            .unpack(io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.class)
            .getRouteConfig().getVirtualHosts(0).getRoutes(0);
    assertEquals(BootstrapBuilder.HEALTH_PATH, route.getMatch().getPath());
    assertEquals("/ready", route.getRoute().getPrefixRewrite());
    assertEquals(BootstrapBuilder.STATS_CLUSTER, route.getRoute().getCluster());
  }

  @Test
  void ipAddressGivesStaticClusterAndSotwIsTheDefault() {
    Bootstrap bootstrap = bootstrapFor("10.0.0.5:18000");
    assertEquals(Cluster.DiscoveryType.STATIC, bootstrap.getStaticResources().getClusters(0).getType());
    assertEquals(ApiConfigSource.ApiType.GRPC, bootstrap.getDynamicResources().getAdsConfig().getApiType());
  }

  @Test
  void printedYamlUsesEnvoysFieldNames() {
    String printed = yaml.print(bootstrapFor("127.0.0.1:18000"));
    assertTrue(printed.contains("set_node_on_first_message_only: true"), printed);
    assertTrue(printed.contains("static_resources:"), printed);
  }

  @Test
  void addressWithoutPortIsAUsageError() {
    StringWriter err = new StringWriter();
    CommandLine cli = OutpostCli.commandLine();
    cli.setErr(new PrintWriter(err));
    assertEquals(1, cli.execute("bootstrap", "--xds-address", "outpost"));
    assertTrue(err.toString().contains("HOST:PORT"), err.toString());
  }

  @Test
  void runtimeRaisesTheRe2ProgramSizeLimitAsIstioAndKeepsTheAdminLayer() throws Exception {
    StringWriter out = new StringWriter();
    CommandLine cli = OutpostCli.commandLine();
    cli.setOut(new PrintWriter(out));
    assertEquals(0, cli.execute("bootstrap", "--xds-address", "127.0.0.1:18000"));
    String printed = out.toString();
    // As Envoy reads it from the YAML: a static layer first, the admin layer last (it wins).
    assertTrue(printed.contains("re2.max_program_size.error_level: 32768"), printed);
    Bootstrap bootstrap = yaml.parse(printed, Bootstrap.newBuilder()).build();
    var layers = bootstrap.getLayeredRuntime().getLayersList();
    assertEquals(2, layers.size());
    assertEquals(
        32768.0,
        layers.get(0).getStaticLayer().getFieldsMap().get(BootstrapBuilder.RE2_MAX_PROGRAM_SIZE_ERROR_LEVEL).getNumberValue());
    assertTrue(layers.get(1).hasAdminLayer());
    assertTrue(new SnapshotChecker().checkConstraints("Bootstrap", "n", bootstrap).ok());
  }

  @Test
  void portOutOfRangeIsAUsageErrorWithoutAStackTrace() {
    StringWriter err = new StringWriter();
    CommandLine cli = OutpostCli.commandLine();
    cli.setErr(new PrintWriter(err));
    assertEquals(1, cli.execute("bootstrap", "--xds-address", "127.0.0.1:18000", "--stats-port", "70000"));
    assertTrue(err.toString().contains("70000 is not a port: use 0-65535"), err.toString());
    assertTrue(!err.toString().contains("\tat "), err.toString());
  }

  /** A SotW gateway bootstrap with the CLI's default ports, for the given control plane address. */
  private static Bootstrap bootstrapFor(String xdsAddress) {
    return new BootstrapBuilder()
        .build(
            new BootstrapBuilder.Options(
                HostAndPort.fromString(xdsAddress),
                ProxyIdentity.of("n", ProxyRole.GATEWAY, "ns", "sa", Map.of()),
                "c",
                false,
                "127.0.0.1",
                15000,
                15090,
                15021));
  }
}
