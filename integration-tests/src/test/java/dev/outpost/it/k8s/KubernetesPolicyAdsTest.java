package dev.outpost.it.k8s;

import static dev.outpost.it.k8s.MockIstio.apply;
import static dev.outpost.it.k8s.MockIstio.delete;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableSet;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.outpost.it.ads.SotwClient;
import dev.outpost.k8s.WatcherOptions;
import dev.outpost.server.OutpostServer;
import dev.outpost.server.k8s.KubernetesServing;
import dev.outpost.server.k8s.PeerAddressCheck;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.envoyproxy.envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Policy at the gateway in Kubernetes mode: an AuthorizationPolicy ({@code security.istio.io/v1})
 * and EnvoyFilters ({@code networking.istio.io/v1alpha3}) created, updated and deleted in fabric8's
 * mock API server (CRUD mode) → the real watcher, translator and ADS server → the egress gateway
 * pod's stream; the leader writes each object's outcome on its status.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesPolicyAdsTest {
  private static final String LDS = Resources.V3.LISTENER_TYPE_URL;
  private static final String LISTENER = "0.0.0.0_80";
  private static final String HCM = "envoy.filters.network.http_connection_manager";
  private static final String RBAC_FILTER = "envoy.filters.http.rbac";
  private static final String FAULT = "envoy.filters.http.fault";
  private static final String LOCAL_RATE_LIMIT = "envoy.filters.http.local_ratelimit";
  private static final String ROUTER = "envoy.filters.http.router";
  private static final String SECURITY_V1 = "security.istio.io/v1";
  private static final String ENVOY_FILTER_VERSION = "networking.istio.io/v1alpha3";
  private static final Path RATE_LIMIT_EXAMPLE =
      Path.of(System.getProperty("outpost.deploy", "../deploy")).resolve("examples/policy/ratelimit.yaml");

  KubernetesMockServer server;
  KubernetesClient client;

  private KubernetesServing outpost;

  @BeforeEach
  void cluster() {
    MockIstio.serve(server);
    apply(client, MockIstio.gatewayPod("egress-1", "istio-system", "istio-egressgateway"));
    apply(client, EGRESS_GATEWAY);
    apply(client, HTTPBIN_SERVICE_ENTRY);
    apply(client, HTTPBIN_VIRTUAL_SERVICE);
  }

  @AfterEach
  void stop() {
    if (outpost != null) {
      outpost.close();
    }
  }

  @Test
  void policyAndEnvoyFilterFromTheApiServerReachTheGatewayAndTheirStatusSaysSo() throws Exception {
    outpost =
        KubernetesServing.start(
            MockIstio.builderFor(client),
            WatcherOptions.defaults()
                .withSecretNamespaces(ImmutableSet.of("istio-system"))
                .withDebounce(Duration.ofMillis(50), Duration.ofSeconds(1)),
            Optional.of(new KubernetesServing.StatusOptions("istio-system", "outpost-leader", "outpost-0")),
            PeerAddressCheck.ENFORCE,
            serving -> OutpostServer.start(new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("127.0.0.1", 0), serving));
    assertTrue(outpost.watcher().awaitSynced(Duration.ofSeconds(15)), "the watcher did not sync with the mock API server");

    try (SotwClient envoy = new SotwClient(outpost.server().xdsPort(), gatewayNode())) {
      envoy.request(LDS, List.of());
      assertEquals(List.of(FAULT, ROUTER), httpFilters(await(envoy, l -> true)), "no policy yet");

      // Created: the policy becomes the gateway's RBAC filter, first in the chain.
      apply(client, denyPolicy("/admin/*"));
      Listener denied = await(envoy, l -> httpFilters(l).contains(RBAC_FILTER));
      assertEquals(List.of(RBAC_FILTER, FAULT, ROUTER), httpFilters(denied));
      RBAC rules = rbac(denied);
      assertEquals(RBAC.Action.DENY, rules.getAction());
      assertEquals(List.of("ns[istio-system]-policy[deny-admin]-rule[0]"), List.copyOf(rules.getPoliciesMap().keySet()));
      assertEquals("/admin/", denyPrefix(rules));
      GenericKubernetesResource policy =
          MockIstio.awaitCondition(client, SECURITY_V1, "AuthorizationPolicy", "deny-admin", "Accepted", "True");
      assertEquals("Accepted", MockIstio.condition(policy, "Accepted").get("reason"), String.valueOf(policy));
      assertEquals("True", MockIstio.condition(policy, "Reconciled").get("status"), String.valueOf(policy));

      // The guide's rate limit EnvoyFilter, as the API server returns it (JSON, @type and all).
      apply(client, Files.readString(RATE_LIMIT_EXAMPLE));
      Listener limited = await(envoy, l -> httpFilters(l).contains(LOCAL_RATE_LIMIT));
      assertEquals(List.of(RBAC_FILTER, FAULT, LOCAL_RATE_LIMIT, ROUTER), httpFilters(limited));
      LocalRateLimit limit = typedConfig(limited, LOCAL_RATE_LIMIT).unpack(LocalRateLimit.class);
      assertEquals(4, limit.getTokenBucket().getMaxTokens());
      assertEquals("http_local_rate_limiter", limit.getStatPrefix());
      GenericKubernetesResource filter = MockIstio.awaitCondition(
          client, ENVOY_FILTER_VERSION, "EnvoyFilter", "filter-local-ratelimit-egress", "Accepted", "True");
      assertEquals("Accepted", MockIstio.condition(filter, "Accepted").get("reason"), String.valueOf(filter));

      // Updated: the denied path changes, and the new rule is pushed.
      apply(client, denyPolicy("/internal/*"));
      Listener updated = await(envoy, l -> httpFilters(l).contains(RBAC_FILTER) && "/internal/".equals(denyPrefix(rbac(l))));
      assertEquals(List.of(RBAC_FILTER, FAULT, LOCAL_RATE_LIMIT, ROUTER), httpFilters(updated));

      // An EnvoyFilter that would put a filter after the router is refused: nothing is pushed,
      // and its status says why (translation error: Rejected, the rest of the config served).
      apply(client, AFTER_ROUTER);
      GenericKubernetesResource refused = MockIstio.awaitCondition(
          client, ENVOY_FILTER_VERSION, "EnvoyFilter", "buffer-after-router", "Accepted", "False");
      Map<String, Object> accepted = MockIstio.condition(refused, "Accepted");
      assertEquals("Rejected", accepted.get("reason"), String.valueOf(refused));
      assertTrue(String.valueOf(accepted.get("message")).contains("terminal filter " + ROUTER + " must be the last HTTP filter"),
          String.valueOf(accepted.get("message")));
      envoy.assertNothingFor(LDS, 1000);

      // Deleted: the RBAC filter goes; the rate limit stays.
      delete(client, denyPolicy("/internal/*"));
      Listener withoutPolicy = await(envoy, l -> !httpFilters(l).contains(RBAC_FILTER));
      assertEquals(List.of(FAULT, LOCAL_RATE_LIMIT, ROUTER), httpFilters(withoutPolicy));
    }
  }

  // --- helpers -------------------------------------------------------------------------------

  /** LDS responses (each ACKed) until the gateway listener satisfies {@code done}; at most 5. */
  private static Listener await(SotwClient envoy, Predicate<Listener> done) throws Exception {
    Listener last = null;
    for (int i = 0; i < 5; i++) {
      DiscoveryResponse response = envoy.await(LDS);
      envoy.ack(response, List.of());
      for (Any any : response.getResourcesList()) {
        Listener listener = any.unpack(Listener.class);
        if (listener.getName().equals(LISTENER)) {
          last = listener;
        }
      }
      if (last != null && done.test(last)) {
        return last;
      }
    }
    throw new AssertionError("no pushed listener satisfied the expectation; last: " + (last == null ? null : httpFilters(last)));
  }

  private static HttpConnectionManager connectionManager(Listener listener) {
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
    return connectionManager(listener).getHttpFiltersList().stream().map(HttpFilter::getName).toList();
  }

  private static Any typedConfig(Listener listener, String name) {
    return connectionManager(listener).getHttpFiltersList().stream()
        .filter(f -> f.getName().equals(name))
        .findFirst()
        .orElseThrow()
        .getTypedConfig();
  }

  private static RBAC rbac(Listener listener) {
    try {
      return typedConfig(listener, RBAC_FILTER).unpack(io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.class).getRules();
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  private static String denyPrefix(RBAC rules) {
    return rules.getPoliciesMap().values().iterator().next().getPermissions(0).getUrlPath().getPath().getPrefix();
  }

  private static Node gatewayNode() {
    Struct labels = Struct.newBuilder().putFields("istio", Value.newBuilder().setStringValue("egressgateway").build()).build();
    return Node.newBuilder()
        .setId("egress-1.istio-system")
        .setMetadata(
            Struct.newBuilder()
                .putFields("ROLE", Value.newBuilder().setStringValue("gateway").build())
                .putFields("NAMESPACE", Value.newBuilder().setStringValue("istio-system").build())
                .putFields("SERVICE_ACCOUNT", Value.newBuilder().setStringValue("istio-egressgateway").build())
                .putFields("LABELS", Value.newBuilder().setStructValue(labels).build()))
        .build();
  }

  // --- resources -----------------------------------------------------------------------------

  private static String denyPolicy(String path) {
    return """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: deny-admin, namespace: istio-system}
        spec:
          selector:
            matchLabels: {istio: egressgateway}
          action: DENY
          rules:
          - to:
            - operation:
                paths: ["%s"]
        """.formatted(path);
  }

  private static final String EGRESS_GATEWAY =
      """
      apiVersion: networking.istio.io/v1
      kind: Gateway
      metadata: {name: egress, namespace: istio-system}
      spec:
        selector: {istio: egressgateway}
        servers:
        - port: {number: 80, name: http, protocol: HTTP}
          hosts: ["*"]
      """;

  private static final String HTTPBIN_SERVICE_ENTRY =
      """
      apiVersion: networking.istio.io/v1
      kind: ServiceEntry
      metadata: {name: httpbin, namespace: istio-system}
      spec:
        hosts: [httpbin.org]
        resolution: DNS
        ports: [{number: 80, name: http, protocol: HTTP}]
      """;

  private static final String HTTPBIN_VIRTUAL_SERVICE =
      """
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

  private static final String AFTER_ROUTER =
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
