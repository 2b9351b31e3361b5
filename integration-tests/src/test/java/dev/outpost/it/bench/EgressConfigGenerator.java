package dev.outpost.it.bench;

import dev.outpost.translator.api.SourceFile;
import java.util.ArrayList;
import java.util.List;

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
