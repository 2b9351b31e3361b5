package dev.outpost.it.bench;

import dev.outpost.translator.api.SourceFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Builds a synthetic but realistic egress config: one gateway on port 80 and, per external
 * service, a ServiceEntry with two ports, a DestinationRule with two subsets and a VirtualService
 * routing the gateway's traffic to one subset. One file per service, as a GitOps repo would have.
 */
final class EgressConfigGenerator {
  private EgressConfigGenerator() {}

  static List<SourceFile> generate(int services) {
    List<SourceFile> files = new ArrayList<>(services + 1);
    files.add(new SourceFile("gateway.yaml", GATEWAY));
    for (int i = 0; i < services; i++) {
      files.add(new SourceFile("svc-" + i + ".yaml", service(i)));
    }
    return files;
  }

  static String host(int i) {
    return "svc-" + i + ".example.com";
  }

  /** The gateway's (root) namespace, where the generated policies and EnvoyFilters live. */
  private static final String ROOT = "istio-system";

  /** Every this many policies, one with many values (hosts, paths, namespaces, principals). */
  private static final int LARGE_POLICY_EVERY = 25;

  /**
   * {@code count} AuthorizationPolicies selecting the gateway, cycling through four shapes: ALLOW
   * by namespace and host, ALLOW by host and method, DENY by principal and path, DENY by path and
   * host; every {@value #LARGE_POLICY_EVERY}th is the same shape with many values (200 hosts, 50
   * paths, 20 namespaces or principals). The generated gateway has no port that requires client
   * certificates, so the identity rules (namespaces, principals) cannot match there and each such
   * policy has a warning, not an error; the RBAC filter they produce is the same either way.
   */
  static List<SourceFile> authorizationPolicies(int count, int services) {
    List<SourceFile> files = new ArrayList<>(count);
    for (int n = 0; n < count; n++) {
      int i = n;
      boolean large = i % LARGE_POLICY_EVERY == LARGE_POLICY_EVERY - 1;
      int values = large ? 200 : 2;
      String hosts = list(values, j -> host((i * 37 + j * 13) % services));
      String paths = list(large ? 50 : 2, j -> "/p" + i + "/" + j + "/*");
      String namespaces = list(large ? 20 : 1, j -> "team-" + (i + j));
      String principals = list(large ? 20 : 1, j -> "cluster.local/ns/team-" + (i + j) + "/sa/app");
      String rules =
          switch (i % 4) {
            case 0 -> """
                - from:
                  - source: {namespaces: %s}
                  to:
                  - operation: {hosts: %s}
                """.formatted(namespaces, hosts);
            case 1 -> """
                - to:
                  - operation: {hosts: %s, methods: [GET, POST]}
                """.formatted(hosts);
            case 2 -> """
                - from:
                  - source: {principals: %s}
                  to:
                  - operation: {paths: %s}
                """.formatted(principals, paths);
            default -> """
                - to:
                  - operation: {paths: %s, notHosts: %s}
                """.formatted(paths, hosts);
          };
      String action = i % 4 < 2 ? "ALLOW" : "DENY";
      files.add(
          new SourceFile(
              "authz-" + i + ".yaml",
              """
              apiVersion: security.istio.io/v1
              kind: AuthorizationPolicy
              metadata: {name: authz-%d, namespace: %s}
              spec:
                selector:
                  matchLabels: {istio: egressgateway}
                action: %s
                rules:
              %s"""
                  .formatted(i, ROOT, action, rules.indent(2))));
    }
    return files;
  }

  private static String list(int n, IntFunction<String> value) {
    return IntStream.range(0, n).mapToObj(value).collect(Collectors.joining(", ", "[", "]"));
  }

  /**
   * The local rate limit EnvoyFilter of Istio's guide, gateway variant, as the README's policy
   * section gives it: deploy/examples/policy/ratelimit.yaml (run from integration-tests, or set
   * {@code -Doutpost.deploy}).
   */
  static SourceFile rateLimitFilter() {
    Path file =
        Path.of(System.getProperty("outpost.deploy", "../deploy"))
            .toAbsolutePath()
            .normalize()
            .resolve("examples/policy/ratelimit.yaml");
    try {
      return new SourceFile("ratelimit.yaml", Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Name of {@link #filterAfterRouter()}. */
  static final String BAD_FILTER = "cors-after-router";

  /**
   * An EnvoyFilter the gate refuses: it ADDs an HTTP filter, which lands after the router (Envoy
   * rejects such a listener; INSERT_BEFORE the router is the right operation).
   */
  static SourceFile filterAfterRouter() {
    return new SourceFile(
        "bad-filter.yaml",
        """
        apiVersion: networking.istio.io/v1alpha3
        kind: EnvoyFilter
        metadata: {name: %s, namespace: %s}
        spec:
          workloadSelector:
            labels: {istio: egressgateway}
          configPatches:
          - applyTo: HTTP_FILTER
            match:
              context: GATEWAY
              listener:
                portNumber: 80
                filterChain:
                  filter: {name: envoy.filters.network.http_connection_manager}
            patch:
              operation: ADD
              value:
                name: envoy.filters.http.cors
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.http.cors.v3.Cors
        """
            .formatted(BAD_FILTER, ROOT));
  }

  private static final String GATEWAY =
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

  private static String service(int i) {
    return """
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: svc-%1$d, namespace: istio-system}
        spec:
          hosts: [%2$s]
          location: MESH_EXTERNAL
          resolution: STATIC
          ports:
          - {number: 80, name: http, protocol: HTTP}
          - {number: 8080, name: http-alt, protocol: HTTP}
          endpoints:
          - address: 10.%3$d.%4$d.1
            labels: {version: v1}
          - address: 10.%3$d.%4$d.2
            labels: {version: v2}
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: svc-%1$d, namespace: istio-system}
        spec:
          host: %2$s
          trafficPolicy:
            loadBalancer: {simple: LEAST_REQUEST}
            connectionPool:
              tcp: {maxConnections: 100, connectTimeout: 2s}
              http: {http1MaxPendingRequests: 50}
            outlierDetection: {consecutive5xxErrors: 5, interval: 10s, baseEjectionTime: 30s}
          subsets:
          - name: v1
            labels: {version: v1}
          - name: v2
            labels: {version: v2}
            trafficPolicy:
              loadBalancer: {simple: ROUND_ROBIN}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: svc-%1$d, namespace: istio-system}
        spec:
          hosts: [%2$s]
          gateways: [istio-system/egress]
          http:
          - match:
            - uri: {prefix: /api}
            route:
            - destination: {host: %2$s, subset: v1, port: {number: 80}}
              weight: 90
            - destination: {host: %2$s, subset: v2, port: {number: 80}}
              weight: 10
            timeout: 5s
            retries: {attempts: 2, perTryTimeout: 1s, retryOn: "5xx,connect-failure"}
          - route:
            - destination: {host: %2$s, port: {number: 8080}}
        """
        .formatted(i, host(i), (i / 250) % 250, i % 250);
  }
}
