package dev.outpost.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The examples under deploy/examples are what the README tells users to run: each must translate
 * as the README says, through the real CLI.
 */
class ExamplesTranslateTest {
  private static final Path EXAMPLES = Path.of("..", "deploy", "examples");
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void tlsOriginationOriginatesTlsVerifiedByTheSystemTrustStore() throws Exception {
    JsonNode cluster = onlyDynamicCluster(translateClean("tls-origination"), "outbound|443||httpbin.org");
    String tls = cluster.path("transport_socket").toString();
    assertTrue(tls.contains("\"sni\":\"httpbin.org\""), tls);
    assertTrue(tls.contains("/etc/ssl/certs/ca-certificates.crt"), tls);
  }

  @Test
  void passthroughRoutesBySniWithoutAnyTlsContext() throws Exception {
    JsonNode dump = translateClean("passthrough");
    String listeners = section(dump, "ListenersConfigDump");
    assertTrue(listeners.contains("\"server_names\":[\"httpbin.org\"]"), listeners);
    assertTrue(listeners.contains("envoy.filters.listener.tls_inspector"), listeners);
    assertTrue(!listeners.contains("DownstreamTlsContext"), listeners);
  }

  @Test
  void meshMtlsServerPresentsTheMeshIdentityAndRequiresClientCertificates() throws Exception {
    String listeners = section(translateClean("mesh-mtls"), "ListenersConfigDump");
    assertTrue(listeners.contains("\"require_client_certificate\":true"), listeners);
    assertTrue(listeners.contains("\"name\":\"default\""), listeners);
    assertTrue(listeners.contains("\"name\":\"ROOTCA\""), listeners);
  }

  @Test
  void mtlsOriginationFailsClosedUntilMakeCertsHasWrittenTheSecret() {
    int exit = run("mtls-origination");
    assertEquals(2, exit, err.toString());
    assertTrue(
        err.toString().contains("Secret \"client-credential\" not found in namespace istio-system"),
        err.toString());
    assertTrue(!out.toString().contains("outbound|443||mtls.example.test\",\"type\""), "no cluster");
  }

  @Test
  void clientProxyExampleRoutesTheMeshHalfToTheGatewayOverMeshMtlsAndRefusesTheRest()
      throws Exception {
    JsonNode dump =
        translateClean(
            "client-proxy", "--role", "client", "--namespace", "apps", "--service-account",
            "sleep", "--labels", "app=sleep");
    String listeners = section(dump, "ListenersConfigDump");
    assertTrue(listeners.contains("\"name\":\"127.0.0.1_15080\""), listeners);
    String routes = section(dump, "RoutesConfigDump");
    assertTrue(routes.contains("\"mtls.example.test:80\""), routes);
    assertTrue(routes.contains("\"block_all\""), routes);
    JsonNode toGateway =
        onlyDynamicCluster(dump, "outbound|443||istio-egressgateway.istio-system.svc.cluster.local");
    String tls = toGateway.path("transport_socket").toString();
    assertTrue(tls.contains("\"sni\":\"mtls.example.test\""), tls);
    assertTrue(tls.contains("\"name\":\"default\""), tls);
    assertTrue(tls.contains("spiffe://cluster.local/ns/istio-system/sa/istio-egressgateway"), tls);
    assertTrue(!dump.toString().contains("kubernetes://client-credential"), "no gateway Secret");

    out.getBuffer().setLength(0);
    JsonNode restricted =
        translateClean("client-proxy", "--role", "client", "--namespace", "restricted");
    assertTrue(!section(restricted, "RoutesConfigDump").contains("mtls.example.test"));
  }

  @Test
  void policyExampleEnforcesItsPoliciesAndRateLimitWithoutWarnings() throws Exception {
    String listeners = section(translateClean("policy"), "ListenersConfigDump");
    assertTrue(listeners.contains("ns[istio-system]-policy[allow-payments-api]-rule[0]"), listeners);
    assertTrue(listeners.contains("ns[istio-system]-policy[deny-admin-for-sleep]-rule[0]"), listeners);
    assertTrue(listeners.contains("\"name\":\"envoy.filters.network.rbac\""), listeners);
    int rateLimit = listeners.indexOf("\"name\":\"envoy.filters.http.local_ratelimit\"");
    assertTrue(rateLimit > 0, listeners);
    assertTrue(
        listeners.indexOf("\"name\":\"envoy.filters.http.router\"", rateLimit) > rateLimit,
        "the rate limit runs before the router");
  }

  private JsonNode translateClean(String example, String... options) throws Exception {
    int exit = run(example, options);
    assertEquals(0, exit, err.toString());
    // The one-machine examples point ServiceEntries at 127.0.0.1 on purpose (Envoy, the gateway
    // and the test server share the host); that warning is expected, nothing else is.
    String unexpected =
        err.toString()
            .lines()
            .filter(line -> !(line.contains("is a loopback address") && line.contains("one machine")))
            .collect(Collectors.joining("\n"));
    assertEquals("", unexpected.strip(), "no other diagnostics expected for " + example);
    return new ObjectMapper().readTree(out.toString());
  }

  private int run(String example, String... options) {
    CommandLine cli = OutpostCli.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    List<String> args =
        new ArrayList<>(List.of("translate", "--config-dir", EXAMPLES.resolve(example).toString()));
    args.addAll(List.of(options));
    return cli.execute(args.toArray(String[]::new));
  }

  private static JsonNode onlyDynamicCluster(JsonNode dump, String name) {
    List<String> seen = new ArrayList<>();
    for (JsonNode c : sectionNode(dump, "ClustersConfigDump").path("dynamic_active_clusters")) {
      seen.add(c.path("cluster").path("name").asText());
      if (c.path("cluster").path("name").asText().equals(name)) {
        return c.path("cluster");
      }
    }
    throw new AssertionError("no cluster " + name + " in " + seen);
  }

  private static String section(JsonNode dump, String type) {
    return sectionNode(dump, type).toString();
  }

  private static JsonNode sectionNode(JsonNode dump, String type) {
    for (JsonNode config : dump.path("configs")) {
      if (config.path("@type").asText().endsWith("." + type)) {
        return config;
      }
    }
    throw new AssertionError("no " + type + " in the dump");
  }
}
