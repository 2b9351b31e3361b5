package dev.outpost.it.policy;

import static dev.outpost.it.policy.ConfigDump.FAULT;
import static dev.outpost.it.policy.ConfigDump.HTTP_RBAC;
import static dev.outpost.it.policy.ConfigDump.LOCAL_RATE_LIMIT;
import static dev.outpost.it.policy.ConfigDump.NETWORK_RBAC;
import static dev.outpost.it.policy.ConfigDump.ROUTER;
import static dev.outpost.it.policy.ConfigDump.TCP_PROXY;
import static dev.outpost.it.policy.PolicyExamples.ALLOW_NAMESPACE;
import static dev.outpost.it.policy.PolicyExamples.ALLOW_PARTNER_POLICY;
import static dev.outpost.it.policy.PolicyExamples.ALLOW_PAYMENTS_POLICY;
import static dev.outpost.it.policy.PolicyExamples.DENY_ADMIN_POLICY;
import static dev.outpost.it.policy.PolicyExamples.DENY_PATH;
import static dev.outpost.it.policy.PolicyExamples.PARTNER_ALLOWED;
import static dev.outpost.it.policy.PolicyExamples.PARTNER_DENIED;
import static dev.outpost.it.policy.PolicyExamples.PAYMENTS_API;
import static dev.outpost.it.policy.PolicyExamples.RATE_LIMIT;
import static dev.outpost.it.policy.PolicyExamples.RATE_LIMIT_HEADER;
import static dev.outpost.it.policy.PolicyExamples.SNI_ALLOW;
import static dev.outpost.it.policy.PolicyExamples.ruleName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.it.client.ClientProxyManifests;
import dev.outpost.it.e2e.OutpostProcess;
import dev.outpost.it.support.ConfigFiles;
import dev.outpost.it.support.TestCa;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/examples/policy and PolicyE2ETest's config dirs through the real jar's {@code translate},
 * without Envoy. It exits 0 (no error diagnostics), and the gateway's chains carry what the Envoy
 * test relies on: on HTTP chains one {@code envoy.filters.http.rbac} per action, AUDIT, DENY, ALLOW,
 * before the fault filter and the router, with Istio's policy names; on passthrough chains {@code
 * envoy.filters.network.rbac} before the tcp_proxy; the rate limit EnvoyFilter's {@code
 * envoy.filters.http.local_ratelimit} just before the router. Client proxies get none of it (the
 * policies select the gateway).
 *
 * <p>Until the AuthorizationPolicy and EnvoyFilter support is merged, translate reports both kinds
 * as not read, and the gateway assertions fail for that reason.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PolicyManifestsTranslateTest {
  /** Envoy's RBAC actions in the order the filters must come: LOG is Istio's AUDIT. */
  private static final List<String> ACTION_ORDER = List.of("LOG", "DENY", "ALLOW");
  private static final String EXAMPLE_MESH_LISTENER = "0.0.0.0_8443";
  private static final String EXAMPLE_PASSTHROUGH_LISTENER = "0.0.0.0_9443";
  private static final int TEST_GATEWAY_PORT = 8443;
  private static final String TEST_LISTENER = "0.0.0.0_" + TEST_GATEWAY_PORT;
  private static final String CLIENT_LISTENER = "127.0.0.1_15080";
  private static final TestCa CA = TestCa.create("Translate Test CA");

  private ConfigDump examples;

  @Test
  void exampleMeshChainChecksDenyThenAllowBeforeTheFaultFilterAndTheRouter() throws Exception {
    ConfigDump.Chain mesh = examples().chain(EXAMPLE_MESH_LISTENER, PAYMENTS_API);

    List<JsonNode> rbac = ConfigDump.named(mesh.httpFilters(), HTTP_RBAC);
    assertEquals(List.of("DENY", "ALLOW"), actions(rbac), "deny-path.yaml, then the ALLOW policies: " + mesh.httpFilterNames());
    assertRbacBeforeFaultAndRouter(mesh);
    assertTrue(ConfigDump.rbacPolicyNames(rbac.get(0)).contains(ruleName(DENY_ADMIN_POLICY, 0)), "DENY: " + rbac.get(0));
    assertTrue(ConfigDump.rbacPolicyNames(rbac.get(1)).contains(ruleName(ALLOW_PAYMENTS_POLICY, 0)), "ALLOW: " + rbac.get(1));
  }

  @Test
  void examplePassthroughChainsCheckTheSniPolicyBeforeTheTcpProxy() throws Exception {
    for (String sni : List.of(PARTNER_ALLOWED, PARTNER_DENIED)) {
      // Both hosts are routed; the policy, not the route, decides (the Envoy test closes the second).
      ConfigDump.Chain chain = examples().chain(EXAMPLE_PASSTHROUGH_LISTENER, sni);

      List<JsonNode> rbac = assertNetworkRbacBeforeTcpProxy(chain);
      JsonNode allow = rbac.get(rbac.size() - 1);
      assertEquals("ALLOW", ConfigDump.rbacAction(allow), chain.description());
      assertTrue(ConfigDump.rbacPolicyNames(allow).contains(ruleName(ALLOW_PARTNER_POLICY, 0)), "sni-allow.yaml's policy: " + allow);
    }
  }

  @Test
  void exampleRateLimitIsJustBeforeTheRouterWithTheGuidesHeader() throws Exception {
    ConfigDump.Chain mesh = examples().chain(EXAMPLE_MESH_LISTENER, PAYMENTS_API);

    JsonNode rateLimit = assertLocalRateLimitJustBeforeTheRouter(mesh);
    assertTrue(rateLimit.toString().contains(RATE_LIMIT_HEADER), "response_headers_to_add of ratelimit.yaml: " + rateLimit);
  }

  @Test
  void endToEndDenyPathScenarioHasOnlyTheDenyFilter(@TempDir Path dir) throws Exception {
    writeMesh(dir, DENY_PATH);

    ConfigDump.Chain mesh = gateway(dir).chain(TEST_LISTENER, PAYMENTS_API);

    List<JsonNode> rbac = ConfigDump.named(mesh.httpFilters(), HTTP_RBAC);
    assertEquals(List.of("DENY"), actions(rbac), mesh.httpFilterNames().toString());
    assertEquals(Set.of(ruleName(DENY_ADMIN_POLICY, 0)), ConfigDump.rbacPolicyNames(rbac.get(0)), "the name the access log shows");
    assertRbacBeforeFaultAndRouter(mesh);
  }

  @Test
  void endToEndAllowNamespaceScenarioHasOnlyTheAllowFilter(@TempDir Path dir) throws Exception {
    writeMesh(dir, ALLOW_NAMESPACE);

    ConfigDump.Chain mesh = gateway(dir).chain(TEST_LISTENER, PAYMENTS_API);

    List<JsonNode> rbac = ConfigDump.named(mesh.httpFilters(), HTTP_RBAC);
    assertEquals(List.of("ALLOW"), actions(rbac), mesh.httpFilterNames().toString());
    assertEquals(Set.of(ruleName(ALLOW_PAYMENTS_POLICY, 0)), ConfigDump.rbacPolicyNames(rbac.get(0)));
    assertRbacBeforeFaultAndRouter(mesh);
  }

  @Test
  void endToEndRateLimitScenarioHasTheBucketBeforeTheRouterAndNoRbac(@TempDir Path dir) throws Exception {
    writeMesh(dir, RATE_LIMIT);

    ConfigDump.Chain mesh = gateway(dir).chain(TEST_LISTENER, PAYMENTS_API);

    assertLocalRateLimitJustBeforeTheRouter(mesh);
    assertFalse(mesh.httpFilterNames().contains(HTTP_RBAC), "no AuthorizationPolicy here: " + mesh.httpFilterNames());
  }

  @Test
  void endToEndPassthroughScenarioChecksTheSniOnBothRoutedChains(@TempDir Path dir) throws Exception {
    ConfigFiles.replace(dir, "passthrough.yaml",
        PolicyManifests.passthrough("127.0.0.1", TEST_GATEWAY_PORT, Map.of(PARTNER_ALLOWED, 34443, PARTNER_DENIED, 34444)));
    ConfigFiles.replace(dir, SNI_ALLOW, PolicyExamples.policies(SNI_ALLOW));

    ConfigDump dump = gateway(dir);

    for (String sni : List.of(PARTNER_ALLOWED, PARTNER_DENIED)) {
      ConfigDump.Chain chain = dump.chain(TEST_LISTENER, sni);
      List<JsonNode> rbac = assertNetworkRbacBeforeTcpProxy(chain);
      assertEquals(List.of("ALLOW"), actions(rbac), chain.description());
      assertEquals(Set.of(ruleName(ALLOW_PARTNER_POLICY, 0)), ConfigDump.rbacPolicyNames(rbac.get(0)));
    }
  }

  /** This part holds before the merge too: it checks that the mesh the Envoy test builds routes as intended. */
  @Test
  void clientProxiesInPaymentsAndAppsSendThePaymentsApiToTheGatewayAndCarryNoPolicy(@TempDir Path dir) throws Exception {
    writeMesh(dir, ALLOW_NAMESPACE, DENY_PATH, RATE_LIMIT);

    for (String namespace : List.of(PolicyExamples.PAYMENTS, PolicyExamples.APPS)) {
      String json = translate(dir, "--role", "client", "--namespace", namespace, "--service-account", "sleep",
          "--labels", "app=sleep", "--node-id", "sleep-1." + namespace);
      ConfigDump dump = ConfigDump.parse(json);

      assertTrue(json.contains("\"" + PAYMENTS_API + ":80\""), namespace + ": a virtual host for the payments API: " + json);
      assertTrue(json.contains("\"name\": \"outbound|443||" + ClientProxyManifests.GATEWAY_HOST + "\""), namespace + ": " + json);
      assertTrue(json.contains("\"sni\": \"" + PAYMENTS_API + "\""), namespace + ": the SNI that selects the gateway's mesh chain: " + json);
      for (ConfigDump.Chain chain : dump.chains(CLIENT_LISTENER)) {
        assertFalse(chain.httpFilterNames().contains(HTTP_RBAC), namespace + ": policies select the gateway only: " + chain);
        assertFalse(chain.httpFilterNames().contains(LOCAL_RATE_LIMIT), namespace + ": the EnvoyFilter selects the gateway only: " + chain);
      }
    }
  }

  private ConfigDump examples() throws Exception {
    if (examples == null) {
      examples = gateway(PolicyExamples.DIR);
    }
    return examples;
  }

  private static void writeMesh(Path dir, String... policyExampleFiles) throws Exception {
    PolicyManifests.Mesh mesh = new PolicyManifests.Mesh("127.0.0.1", 34443, TEST_GATEWAY_PORT, "127.0.0.1");
    for (Map.Entry<String, String> file : PolicyManifests.meshFiles(mesh, CA.certificate(), policyExampleFiles).entrySet()) {
      ConfigFiles.replace(dir, file.getKey(), file.getValue());
    }
    ConfigFiles.replace(dir, "egress-gateway-service.yaml", PolicyManifests.egressGatewayService("127.0.0.1", TEST_GATEWAY_PORT));
  }

  private static List<String> actions(List<JsonNode> rbacFilters) {
    return rbacFilters.stream().map(ConfigDump::rbacAction).toList();
  }

  /** One RBAC filter per action, AUDIT (LOG), DENY, ALLOW, all of them before the fault filter and the router. */
  private static void assertRbacBeforeFaultAndRouter(ConfigDump.Chain chain) {
    List<String> names = chain.httpFilterNames();
    List<String> actions = actions(ConfigDump.named(chain.httpFilters(), HTTP_RBAC));
    assertEquals(ACTION_ORDER.stream().filter(actions::contains).toList(), actions, "one RBAC filter per action, in order: " + chain);
    int lastRbac = names.lastIndexOf(HTTP_RBAC);
    assertTrue(names.contains(FAULT) && names.contains(ROUTER), names.toString());
    assertTrue(lastRbac < names.indexOf(FAULT), "RBAC before fault: " + names);
    assertTrue(names.indexOf(FAULT) < names.indexOf(ROUTER), "fault before the router: " + names);
    assertEquals(ROUTER, names.get(names.size() - 1), "the router last: " + names);
  }

  /** The network RBAC filters of a TCP chain: in action order, stat_prefix "tcp.", before the tcp_proxy. */
  private static List<JsonNode> assertNetworkRbacBeforeTcpProxy(ConfigDump.Chain chain) {
    List<String> names = chain.networkFilterNames();
    List<JsonNode> rbac = ConfigDump.named(chain.networkFilters(), NETWORK_RBAC);
    assertFalse(rbac.isEmpty(), "no " + NETWORK_RBAC + " on " + chain.description() + ", network filters: " + names);
    List<String> actions = actions(rbac);
    assertEquals(ACTION_ORDER.stream().filter(actions::contains).toList(), actions, "one RBAC filter per action, in order: " + chain);
    assertTrue(names.lastIndexOf(NETWORK_RBAC) < names.indexOf(TCP_PROXY), "RBAC before the tcp_proxy: " + names);
    for (JsonNode filter : rbac) {
      assertEquals("tcp.", filter.path("typed_config").path("stat_prefix").asText(), filter.toString());
    }
    return rbac;
  }

  private static JsonNode assertLocalRateLimitJustBeforeTheRouter(ConfigDump.Chain chain) {
    List<String> names = chain.httpFilterNames();
    int rateLimit = names.indexOf(LOCAL_RATE_LIMIT);
    assertTrue(rateLimit >= 0, "no " + LOCAL_RATE_LIMIT + " (ratelimit.yaml) on " + chain.description() + ", HTTP filters: " + names);
    assertEquals(ROUTER, names.get(rateLimit + 1), "INSERT_BEFORE the router: " + names);
    assertEquals(1, ConfigDump.named(chain.httpFilters(), LOCAL_RATE_LIMIT).size(), "inserted once: " + names);
    return chain.httpFilters().get(rateLimit);
  }

  /** {@code outpost translate} for the e2e gateway; fails unless it exits 0 (no error diagnostics). */
  private static ConfigDump gateway(Path dir) throws Exception {
    return ConfigDump.parse(translate(dir, "--namespace", PolicyManifests.SYSTEM, "--service-account", "istio-egressgateway",
        "--labels", "istio=egressgateway"));
  }

  private static String translate(Path dir, String... proxy) throws Exception {
    String[] args = new String[proxy.length + 3];
    args[0] = "translate";
    args[1] = "--config-dir";
    args[2] = dir.toString();
    System.arraycopy(proxy, 0, args, 3, proxy.length);
    return OutpostProcess.run(args);
  }
}
