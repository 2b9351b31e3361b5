package dev.outpost.it.ads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.outpost.server.OutpostServer;
import dev.outpost.server.cli.OutpostCli;
import dev.outpost.server.source.FileConfigSource;
import dev.outpost.translator.diag.Diagnostic;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.envoyproxy.envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Policy at the gateway through the real server, without Envoy: AuthorizationPolicy and
 * EnvoyFilter files in a watched directory → the real parser, translator (RBAC, patches, the
 * patch gate), checker and ADS server → gRPC clients speaking for two replicas of the egress
 * gateway (one SotW, one delta: the same group) and a client proxy. Each edit of the directory is
 * pushed; an EnvoyFilter that would break the listener is refused with a diagnostic while the good
 * one stays served.
 */
class PolicyAdsTest {
  private static final String LDS = Resources.V3.LISTENER_TYPE_URL;
  private static final String LISTENER = "0.0.0.0_80";
  private static final String HCM = "envoy.filters.network.http_connection_manager";
  private static final String RBAC_FILTER = "envoy.filters.http.rbac";
  private static final String FAULT = "envoy.filters.http.fault";
  private static final String LOCAL_RATE_LIMIT = "envoy.filters.http.local_ratelimit";
  private static final String ROUTER = "envoy.filters.http.router";
  private static final String BAD_FILTER = "envoy.filters.http.buffer";
  private static final String DENY_RULE = "ns[istio-system]-policy[deny-admin]-rule[0]";
  private static final String GATEWAY_ID = "egress-1.istio-system";
  private static final Node GATEWAY = AdsHarness.gatewayNode(GATEWAY_ID, Map.of("istio", "egressgateway"));
  private static final Node GATEWAY_REPLICA = AdsHarness.gatewayNode("egress-2.istio-system", Map.of("istio", "egressgateway"));
  /** The guide's local rate limit, as the README's policy section tells users to apply it. */
  private static final Path RATE_LIMIT_EXAMPLE =
      Path.of(System.getProperty("outpost.deploy", "../deploy")).resolve("examples/policy/ratelimit.yaml");

  @Test
  void policiesAndEnvoyFiltersInTheDirectoryArePushedAndABreakingPatchIsRefused(@TempDir Path tmp) throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("config"));
    Files.writeString(dir.resolve("egress.yaml"), EGRESS_YAML);

    try (OutpostServer server =
            OutpostServer.start(new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("127.0.0.1", 0));
        FileConfigSource source = new FileConfigSource(dir, server.publisher(), server.metrics());
        SotwClient sotw = new SotwClient(server.xdsPort(), GATEWAY);
        DeltaClient delta = new DeltaClient(server.xdsPort(), GATEWAY_REPLICA);
        SotwClient client = new SotwClient(server.xdsPort(), clientNode())) {
      source.start();

      sotw.request(LDS, List.of());
      assertEquals(List.of(FAULT, ROUTER), httpFilters(awaitSotw(sotw, l -> true)), "no policy yet");
      delta.subscribe(LDS, List.of(), Map.of());
      assertEquals(List.of(FAULT, ROUTER), httpFilters(awaitDelta(delta, l -> true)));

      // A DENY policy appears: both replicas get RBAC first in the connection manager, with
      // Istio's policy name (what Envoy writes into response_code_details when it denies).
      Files.writeString(dir.resolve("deny.yaml"), DENY_YAML);
      Listener denied = awaitSotw(sotw, l -> httpFilters(l).contains(RBAC_FILTER));
      assertEquals(List.of(RBAC_FILTER, FAULT, ROUTER), httpFilters(denied));
      RBAC rules = typedConfig(denied, RBAC_FILTER).unpack(io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.class).getRules();
      assertEquals(RBAC.Action.DENY, rules.getAction());
      assertEquals(List.of(DENY_RULE), List.copyOf(rules.getPoliciesMap().keySet()));
      assertEquals(
          "/admin/",
          rules.getPoliciesMap().get(DENY_RULE).getPermissions(0).getUrlPath().getPath().getPrefix(),
          "the rule's path reaches Envoy: " + rules);
      assertEquals(List.of(RBAC_FILTER, FAULT, ROUTER), httpFilters(awaitDelta(delta, l -> httpFilters(l).contains(RBAC_FILTER))));

      // The client proxy, on the same server and in the mesh the policy covers, gets no RBAC:
      // policies act where traffic is received.
      client.request(LDS, List.of());
      DiscoveryResponse clientLds = client.await(LDS);
      client.ack(clientLds, List.of());
      Listener clientListener = clientLds.getResources(0).unpack(Listener.class);
      assertEquals("127.0.0.1_15080", clientListener.getName());
      List<String> clientFilters = httpFilters(clientListener);
      assertTrue(clientFilters.contains(ROUTER), "the client's connection manager: " + clientFilters);
      assertFalse(clientFilters.contains(RBAC_FILTER), "no RBAC on the client proxy: " + clientFilters);

      // Deleting the file withdraws the policy: a new push without the filter.
      Files.delete(dir.resolve("deny.yaml"));
      assertEquals(List.of(FAULT, ROUTER), httpFilters(awaitSotw(sotw, l -> !httpFilters(l).contains(RBAC_FILTER))));
      assertEquals(List.of(FAULT, ROUTER), httpFilters(awaitDelta(delta, l -> !httpFilters(l).contains(RBAC_FILTER))));

      // The guide's rate limit EnvoyFilter: its TypedStruct arrives as a real LocalRateLimit,
      // right before the router.
      Files.copy(RATE_LIMIT_EXAMPLE, dir.resolve("ratelimit.yaml"));
      Listener limited = awaitSotw(sotw, l -> httpFilters(l).contains(LOCAL_RATE_LIMIT));
      assertEquals(List.of(FAULT, LOCAL_RATE_LIMIT, ROUTER), httpFilters(limited));
      Any limitConfig = typedConfig(limited, LOCAL_RATE_LIMIT);
      assertEquals("type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit", limitConfig.getTypeUrl());
      LocalRateLimit limit = limitConfig.unpack(LocalRateLimit.class);
      assertEquals("http_local_rate_limiter", limit.getStatPrefix());
      assertEquals(4, limit.getTokenBucket().getMaxTokens());
      assertEquals(60, limit.getTokenBucket().getFillInterval().getSeconds());
      assertEquals("x-local-rate-limit", limit.getResponseHeadersToAdd(0).getHeader().getKey());
      assertEquals(List.of(FAULT, LOCAL_RATE_LIMIT, ROUTER), httpFilters(awaitDelta(delta, l -> httpFilters(l).contains(LOCAL_RATE_LIMIT))));
      long reloadsBefore = metric(server, "outpost_config_reloads_total");

      // A second EnvoyFilter that would put a filter after the router (Envoy rejects such a
      // listener) is refused by the patch gate: the server says why, and the gateways keep the
      // good rate limit and get nothing of the bad filter.
      Files.writeString(dir.resolve("after-router.yaml"), AFTER_ROUTER_YAML);
      Diagnostic refused = awaitDiagnostic(server, d -> d.subject().equals("EnvoyFilter istio-system/buffer-after-router"));
      assertTrue(refused.isError(), refused.toString());
      assertEquals("spec.configPatches[0]", refused.field(), refused.toString());
      assertTrue(refused.message().contains("terminal filter " + ROUTER + " must be the last HTTP filter"), refused.toString());
      assertTrue(refused.message().contains("the EnvoyFilter was not applied"), refused.toString());
      assertTrue(metric(server, "outpost_config_reloads_total") > reloadsBefore);
      assertEquals(1, metric(server, "outpost_config_diagnostics{severity=\"error\"}"), "the refusal is counted");
      // Nothing changed for the gateways, so nothing is pushed: what they hold stays.
      sotw.assertNothingFor(LDS, 1000);
      delta.assertNothingFor(LDS, 200);
      List<String> served = servedHttpFilters(server, GATEWAY_ID);
      assertEquals(List.of(FAULT, LOCAL_RATE_LIMIT, ROUTER), served, "/debug/config_dump of the gateway");
      // No NACK-provoking config reached anyone, and no snapshot needed the last-resort gate.
      assertEquals(0, metric(server, "outpost_snapshots_rejected_total"));
      JsonNode proxies = new ObjectMapper().readTree(admin(server, "/debug/proxies"));
      assertEquals(3, proxies.size(), "all three streams are still connected: " + proxies);
      proxies.forEach(p -> assertTrue(p.path("lastNack").isNull(), p.toString()));

      // translate on the same directory says the same: exit 2, the error on stderr, and a
      // config dump with the rate limit and without the refused filter.
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      CommandLine cli = OutpostCli.commandLine();
      cli.setOut(new PrintWriter(out));
      cli.setErr(new PrintWriter(err));
      assertEquals(2, cli.execute("translate", "--config-dir", dir.toString()), err.toString());
      assertTrue(err.toString().contains(refused.toString()), err.toString());
      assertTrue(out.toString().contains("\"" + LOCAL_RATE_LIMIT + "\""), "translate prints the rate limit");
      assertFalse(out.toString().contains(BAD_FILTER), "translate prints nothing of the refused filter");

      // Fixed (INSERT_FIRST instead of ADD), the same filter is accepted and pushed.
      Files.writeString(dir.resolve("after-router.yaml"), AFTER_ROUTER_YAML.replace("operation: ADD", "operation: INSERT_FIRST"));
      Listener fixed = awaitSotw(sotw, l -> httpFilters(l).contains(BAD_FILTER));
      assertEquals(List.of(BAD_FILTER, FAULT, LOCAL_RATE_LIMIT, ROUTER), httpFilters(fixed));
    }
  }

  // --- ADS helpers ----------------------------------------------------------------------------

  /** LDS responses (each ACKed) until the gateway listener satisfies {@code done}; at most 5. */
  private static Listener awaitSotw(SotwClient envoy, Predicate<Listener> done) throws Exception {
    Listener last = null;
    for (int i = 0; i < 5; i++) {
      DiscoveryResponse response = envoy.await(LDS);
      envoy.ack(response, List.of());
      last = gatewayListener(response.getResourcesList());
      if (done.test(last)) {
        return last;
      }
    }
    throw new AssertionError("no pushed listener satisfied the expectation; last: " + httpFilters(last));
  }

  private static Listener awaitDelta(DeltaClient envoy, Predicate<Listener> done) throws Exception {
    Listener last = null;
    for (int i = 0; i < 5; i++) {
      DeltaDiscoveryResponse response = envoy.await(LDS);
      envoy.ack(response);
      List<Any> resources = new ArrayList<>();
      response.getResourcesList().forEach(r -> resources.add(r.getResource()));
      last = gatewayListener(resources);
      if (done.test(last)) {
        return last;
      }
    }
    throw new AssertionError("no delta update satisfied the expectation; last: " + httpFilters(last));
  }

  private static Listener gatewayListener(List<Any> resources) throws InvalidProtocolBufferException {
    for (Any any : resources) {
      Listener listener = any.unpack(Listener.class);
      if (listener.getName().equals(LISTENER)) {
        return listener;
      }
    }
    throw new AssertionError("no " + LISTENER + " in the response");
  }

  private static HttpConnectionManager connectionManager(Listener listener) {
    assertEquals(1, listener.getFilterChainsCount(), listener.getName() + " has one filter chain");
    for (Filter filter : listener.getFilterChains(0).getFiltersList()) {
      if (filter.getName().equals(HCM)) {
        try {
          return filter.getTypedConfig().unpack(HttpConnectionManager.class);
        } catch (InvalidProtocolBufferException e) {
          throw new AssertionError(e);
        }
      }
    }
    throw new AssertionError("no " + HCM + " in " + listener.getName());
  }

  private static List<String> httpFilters(Listener listener) {
    return listener == null ? List.of() : connectionManager(listener).getHttpFiltersList().stream().map(HttpFilter::getName).toList();
  }

  private static Any typedConfig(Listener listener, String filterName) {
    return connectionManager(listener).getHttpFiltersList().stream()
        .filter(f -> f.getName().equals(filterName))
        .findFirst()
        .orElseThrow()
        .getTypedConfig();
  }

  // --- what the server shows ------------------------------------------------------------------

  /** The server's translation diagnostics for the current config once one matches (at most 10 s). */
  private static Diagnostic awaitDiagnostic(OutpostServer server, Predicate<Diagnostic> wanted) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    do {
      for (Diagnostic d : server.publisher().translationDiagnostics()) {
        if (wanted.test(d)) {
          return d;
        }
      }
      Thread.sleep(50);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("no such diagnostic within 10 s: " + server.publisher().translationDiagnostics());
  }

  private static String admin(OutpostServer server, String path) throws Exception {
    java.net.http.HttpResponse<String> response =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + server.adminPort() + path))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), path + ": " + response.body());
    return response.body();
  }

  private static long metric(OutpostServer server, String name) throws Exception {
    for (String line : admin(server, "/metrics").split("\n")) {
      if (line.startsWith(name + " ")) {
        return (long) Double.parseDouble(line.substring(name.length() + 1).trim());
      }
    }
    throw new AssertionError("no metric " + name);
  }

  /** The HTTP filters of the gateway listener in {@code /debug/config_dump?node=ID}. */
  private static List<String> servedHttpFilters(OutpostServer server, String nodeId) throws Exception {
    JsonNode dump = new ObjectMapper().readTree(admin(server, "/debug/config_dump?node=" + nodeId));
    List<String> names = new ArrayList<>();
    for (JsonNode config : dump.path("configs")) {
      for (JsonNode dynamic : config.path("dynamic_listeners")) {
        JsonNode listener = dynamic.path("active_state").path("listener");
        if (!listener.path("name").asText().equals(LISTENER)) {
          continue;
        }
        for (JsonNode filter : listener.path("filter_chains").path(0).path("filters")) {
          if (filter.path("name").asText().equals(HCM)) {
            filter.path("typed_config").path("http_filters").forEach(f -> names.add(f.path("name").asText()));
          }
        }
      }
    }
    assertFalse(names.isEmpty(), "no " + LISTENER + " with a connection manager in the config dump: " + dump);
    return names;
  }

  private static Node clientNode() {
    Struct labels = Struct.newBuilder().putFields("app", Value.newBuilder().setStringValue("sleep").build()).build();
    return Node.newBuilder()
        .setId("sleep-1.apps")
        .setCluster("sleep.apps")
        .setMetadata(
            Struct.newBuilder()
                .putFields("NAMESPACE", Value.newBuilder().setStringValue("apps").build())
                .putFields("ROLE", Value.newBuilder().setStringValue("client").build())
                .putFields("SERVICE_ACCOUNT", Value.newBuilder().setStringValue("sleep").build())
                .putFields("LABELS", Value.newBuilder().setStructValue(labels).build()))
        .build();
  }

  // --- manifests --------------------------------------------------------------------------------

  /** Plaintext HTTP egress to httpbin.org through the gateway's port 80. */
  private static final String EGRESS_YAML =
      """
      apiVersion: networking.istio.io/v1
      kind: Gateway
      metadata: {name: egress, namespace: istio-system}
      spec:
        selector: {istio: egressgateway}
        servers:
        - port: {number: 80, name: http, protocol: HTTP}
          hosts: ["*"]
      ---
      apiVersion: networking.istio.io/v1
      kind: ServiceEntry
      metadata: {name: httpbin, namespace: istio-system}
      spec:
        hosts: [httpbin.org]
        resolution: DNS
        ports: [{number: 80, name: http, protocol: HTTP}]
      ---
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata: {name: httpbin, namespace: istio-system}
      spec:
        hosts: [httpbin.org]
        gateways: [egress]
        http:
        - route:
          - destination: {host: httpbin.org, port: {number: 80}}
      """;

  /** Mesh-wide (root namespace, no selector): it would reach client proxies if anything did. */
  private static final String DENY_YAML =
      """
      apiVersion: security.istio.io/v1
      kind: AuthorizationPolicy
      metadata: {name: deny-admin, namespace: istio-system}
      spec:
        action: DENY
        rules:
        - to:
          - operation:
              paths: ["/admin/*"]
      """;

  /** Valid on its own (the value parses into a Buffer filter), but ADD puts it after the router. */
  private static final String AFTER_ROUTER_YAML =
      """
      apiVersion: networking.istio.io/v1alpha3
      kind: EnvoyFilter
      metadata: {name: buffer-after-router, namespace: istio-system}
      spec:
        workloadSelector:
          labels: {istio: egressgateway}
        configPatches:
        - applyTo: HTTP_FILTER
          match:
            context: GATEWAY
            listener:
              filterChain:
                filter:
                  name: envoy.filters.network.http_connection_manager
          patch:
            operation: ADD
            value:
              name: envoy.filters.http.buffer
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.http.buffer.v3.Buffer
                max_request_bytes: 1048576
      """;
}
