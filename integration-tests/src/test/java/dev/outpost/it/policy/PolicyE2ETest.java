package dev.outpost.it.policy;

import static dev.outpost.it.policy.PolicyExamples.ALLOW_NAMESPACE;
import static dev.outpost.it.policy.PolicyExamples.APPS;
import static dev.outpost.it.policy.PolicyExamples.DENY_ADMIN_POLICY;
import static dev.outpost.it.policy.PolicyExamples.DENY_PATH;
import static dev.outpost.it.policy.PolicyExamples.PARTNER_ALLOWED;
import static dev.outpost.it.policy.PolicyExamples.PARTNER_DENIED;
import static dev.outpost.it.policy.PolicyExamples.PAYMENTS;
import static dev.outpost.it.policy.PolicyExamples.PAYMENTS_API;
import static dev.outpost.it.policy.PolicyExamples.RATE_LIMIT;
import static dev.outpost.it.policy.PolicyExamples.RATE_LIMIT_HEADER;
import static dev.outpost.it.policy.PolicyExamples.RATE_LIMIT_TOKENS;
import static dev.outpost.it.policy.PolicyExamples.SNI_ALLOW;
import static dev.outpost.it.policy.PolicyExamples.ruleName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.it.client.ClientProxy;
import dev.outpost.it.client.ProxiedHttpClient;
import dev.outpost.it.support.TestCa;
import dev.outpost.it.support.TlsClient;
import dev.outpost.it.support.TlsClientConnection;
import dev.outpost.it.support.TlsEchoServer;
import dev.outpost.it.tls.EgressRig;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Policy at the gateway with stock Envoy, for the policies of deploy/examples/policy as written:
 * AuthorizationPolicy DENY by workload identity and path, ALLOW by namespace (both read from the
 * mesh certificate client proxies present over ISTIO_MUTUAL), ALLOW by SNI on a passthrough
 * server, and the local rate limit EnvoyFilter. Each test starts its own Outpost and gateway with
 * only the example under test, since policies change what every other request sees. Skipped where
 * neither ENVOY_BIN nor Docker exists.
 */
class PolicyE2ETest {
  private static final String API = "http://" + PAYMENTS_API;
  private static final String SLEEP = "spiffe://cluster.local/ns/apps/sa/sleep";
  private static final String CHECKOUT = "spiffe://cluster.local/ns/payments/sa/checkout";
  private static final String RBAC_DENIED_BODY = "RBAC: access denied";
  private static final String UPSTREAM_BODY = "hello from payments-api; host=" + PAYMENTS_API;
  private static final Duration CONFIG_ARRIVES = Duration.ofSeconds(60);
  private static final Duration LOGGED = Duration.ofSeconds(10);

  /**
   * (a) deny-path.yaml: apps/sleep reaches the payments API, except under /admin/, where the
   * gateway answers 403 itself and its access log names the DENY rule that matched.
   */
  @Test
  void workloadIdentityIsDeniedOnAdminPathsAndTheLogNamesThePolicy(@TempDir Path work) throws Exception {
    try (PolicyMesh mesh = PolicyMesh.start(work, DENY_PATH);
        ClientProxy sleep = mesh.startClient(APPS, "sleep")) {
      ProxiedHttpClient app = new ProxiedHttpClient(sleep.proxyAddress());

      HttpResponse<String> allowed = app.awaitStatus(API + "/status/200", 200, CONFIG_ARRIVES);
      assertEquals(200, allowed.statusCode(), describe(allowed));
      assertTrue(allowed.body().startsWith(UPSTREAM_BODY), allowed.body());
      int reachedUpstream = mesh.upstream().handshakes().size();

      HttpResponse<String> denied = app.get(API + "/admin/users");

      assertEquals(403, denied.statusCode(), describe(denied));
      assertEquals(RBAC_DENIED_BODY, denied.body());
      JsonNode line = mesh.gatewayLog().await(l -> l.path("path").asText().equals("/admin/users"), LOGGED);
      assertEquals(403, line.path("response_code").asInt(), line.toString());
      assertEquals(
          "rbac_access_denied_matched_policy[" + ruleName(DENY_ADMIN_POLICY, 0) + "]",
          line.path("response_code_details").asText(), line.toString());
      assertEquals(SLEEP, line.path("downstream_peer_uri_san").asText(), "the identity the policy matched: " + line);
      assertEquals(reachedUpstream, mesh.upstream().handshakes().size(), "the denied request never left the gateway");
      JsonNode passed = mesh.gatewayLog().await(l -> l.path("path").asText().equals("/status/200") && ok(l), LOGGED);
      assertEquals("outbound|443||" + PAYMENTS_API, passed.path("upstream_cluster").asText(), passed.toString());
    }
  }

  /**
   * (b) allow-namespace.yaml: a workload of namespace payments gets through; one of apps gets 403,
   * and the log says no ALLOW policy matched ({@code [none]}).
   */
  @Test
  void onlyThePaymentsNamespaceIsAllowedToThePaymentsApi(@TempDir Path work) throws Exception {
    try (PolicyMesh mesh = PolicyMesh.start(work, ALLOW_NAMESPACE)) {
      try (ClientProxy checkout = mesh.startClient(PAYMENTS, "checkout")) {
        HttpResponse<String> allowed = new ProxiedHttpClient(checkout.proxyAddress()).awaitStatus(API + "/get", 200, CONFIG_ARRIVES);

        assertEquals(200, allowed.statusCode(), describe(allowed));
        assertTrue(allowed.body().startsWith(UPSTREAM_BODY), allowed.body());
        mesh.gatewayLog().await(l -> l.path("downstream_peer_uri_san").asText().equals(CHECKOUT) && ok(l), LOGGED);
      }
      int reachedUpstream = mesh.upstream().handshakes().size();
      // One client proxy at a time: locally they all bind port 15080.
      try (ClientProxy sleep = mesh.startClient(APPS, "sleep")) {
        // Until its certificate and routes arrive the client proxy answers 502/503 itself.
        HttpResponse<String> denied = new ProxiedHttpClient(sleep.proxyAddress()).awaitStatus(API + "/get", 403, CONFIG_ARRIVES);

        assertEquals(403, denied.statusCode(), describe(denied));
        assertEquals(RBAC_DENIED_BODY, denied.body());
        JsonNode line = mesh.gatewayLog().await(
            l -> l.path("downstream_peer_uri_san").asText().equals(SLEEP) && l.path("response_code").asInt() == 403, LOGGED);
        assertEquals("rbac_access_denied_matched_policy[none]", line.path("response_code_details").asText(), line.toString());
        assertEquals(reachedUpstream, mesh.upstream().handshakes().size(), "nothing from apps left the gateway");
      }
    }
  }

  /**
   * (c) sni-allow.yaml: both partner hosts are routed through a passthrough server, but only the
   * allowed SNI reaches its upstream; the other is closed by the gateway, which logs why.
   */
  @Test
  void passthroughLetsOnlyTheAllowedSniThroughAndClosesTheOther(@TempDir Path work) throws Exception {
    TestCa partnerCa = TestCa.create("Partner CA");
    try (EgressRig rig = EgressRig.prepare(work);
        TlsEchoServer downloads = TlsEchoServer.start("downloads", partnerCa.issueServer(PARTNER_ALLOWED));
        TlsEchoServer uploads = TlsEchoServer.start("uploads", partnerCa.issueServer(PARTNER_DENIED))) {
      rig.write("passthrough.yaml", PolicyManifests.passthrough(
          rig.hostAddressSeenByEnvoy(), rig.listenerPort(), Map.of(PARTNER_ALLOWED, downloads.port(), PARTNER_DENIED, uploads.port())));
      rig.write(SNI_ALLOW, PolicyExamples.policies(SNI_ALLOW));
      rig.start(downloads.port(), uploads.port());
      TlsClient client = TlsClient.trusting(partnerCa.certificate());

      try (TlsClientConnection allowed = connectUntilRouted(client, rig.gatewayAddress(), PARTNER_ALLOWED)) {
        // The upstream's identity line over the client's own TLS: it verified the upstream's certificate.
        assertEquals(
            "downloads sni=" + PARTNER_ALLOWED + "; protocol=" + allowed.protocol() + "; client=-; serial=-", allowed.readLine());
        allowed.writeLine("through the gateway");
        assertEquals(TlsEchoServer.ECHO_PREFIX + "through the gateway", allowed.readLine());
      }

      // Same listener, same snapshot as the allowed chain: this SNI is routed, so the policy closes it.
      assertThrows(IOException.class, () -> {
        try (TlsClientConnection denied = client.connect(rig.gatewayAddress(), PARTNER_DENIED)) {
          denied.readLine();
        }
      });

      // TCP lines are written when the connection closes; only one connection asked for this SNI.
      JsonNode line = rig.awaitAccessLog(l -> l.path("requested_server_name").asText().equals(PARTNER_DENIED), LOGGED);
      assertEquals("rbac_access_denied_matched_policy[none]", line.path("connection_termination_details").asText(), line.toString());
      assertEquals(List.of(), uploads.handshakes(), "the client's TLS never reached the upstream of the denied SNI");
      JsonNode allowedLine = rig.awaitAccessLog(l -> l.path("requested_server_name").asText().equals(PARTNER_ALLOWED), LOGGED);
      assertFalse(allowedLine.path("connection_termination_details").asText().startsWith("rbac_"), allowedLine.toString());
    }
  }

  /**
   * (d) ratelimit.yaml: the gateway's bucket holds 4 tokens per 60 s; once they are spent the next
   * request gets 429 with the guide's header, answered by the gateway (RL in its log).
   */
  @Test
  void localRateLimitAnswers429OnceTheBucketIsEmpty(@TempDir Path work) throws Exception {
    try (PolicyMesh mesh = PolicyMesh.start(work, RATE_LIMIT);
        ClientProxy checkout = mesh.startClient(PAYMENTS, "checkout")) {
      ProxiedHttpClient app = new ProxiedHttpClient(checkout.proxyAddress());
      // The first request through the gateway takes the first token (answers from the client
      // proxy while its config arrives never reach the gateway's filters).
      HttpResponse<String> first = app.awaitStatus(API + "/get", 200, CONFIG_ARRIVES);
      assertEquals(200, first.statusCode(), describe(first));

      // At most RATE_LIMIT_TOKENS more: the last of them cannot have a token left. (A refill
      // happens every 60 s; this loop takes well under a second.)
      int passed = 1;
      HttpResponse<String> limited = null;
      for (int i = 0; i < RATE_LIMIT_TOKENS && limited == null; i++) {
        HttpResponse<String> response = app.get(API + "/get");
        if (response.statusCode() == 429) {
          limited = response;
        } else {
          assertEquals(200, response.statusCode(), describe(response));
          passed++;
        }
      }

      assertNotNull(limited, "no 429 after " + passed + " requests with a bucket of " + RATE_LIMIT_TOKENS);
      assertEquals(RATE_LIMIT_TOKENS, passed, "every token was used before the 429");
      assertEquals("true", limited.headers().firstValue(RATE_LIMIT_HEADER).orElse(null), describe(limited));
      JsonNode line = mesh.gatewayLog().await(l -> l.path("response_code").asInt() == 429, LOGGED);
      assertEquals("local_rate_limited", line.path("response_code_details").asText(), line.toString());
      assertTrue(line.path("response_flags").asText().contains("RL"), line.toString());
    }
  }

  private static boolean ok(JsonNode line) {
    return line.path("response_code").asInt() == 200;
  }

  private static String describe(HttpResponse<String> response) {
    return response.statusCode() + " " + response.headers().map() + " " + response.body();
  }

  /** The passthrough listener arrives over ADS: retry the handshake until it reaches the upstream. */
  private static TlsClientConnection connectUntilRouted(TlsClient client, String gateway, String sni) throws InterruptedException {
    Instant deadline = Instant.now().plus(CONFIG_ARRIVES);
    IOException last = null;
    while (Instant.now().isBefore(deadline)) {
      try {
        return client.connect(gateway, sni);
      } catch (IOException notYetRouted) {
        last = notYetRouted;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("no TLS connection through the gateway for " + sni + " within " + CONFIG_ARRIVES, last);
  }
}
