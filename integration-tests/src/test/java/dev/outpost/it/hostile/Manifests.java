package dev.outpost.it.hostile;

import com.google.common.collect.ImmutableList;

/**
 * One valid manifest of every kind Outpost reads, each named {@code hostile}: the seeds the corpus
 * mutates. Every one is accepted without a diagnostic as written (a test says so), so a
 * diagnostic after a mutation is about the mutation. The built-in kinds (Service, EndpointSlice,
 * Pod) hold only the fields Outpost reads: it passes over the rest of such an object, which the
 * API server has validated in a cluster. They use hostile.example.com (served by the
 * good Gateway, routed to the good ServiceEntry) so that they are translated, not only parsed.
 */
final class Manifests {
  private Manifests() {}

  /** A seed: its kind, the subject diagnostics about it name, and its YAML. */
  record Seed(String kind, String subject, String yaml) {}

  static final Seed SERVICE_ENTRY = new Seed("ServiceEntry", "ServiceEntry istio-system/hostile", """
      apiVersion: networking.istio.io/v1
      kind: ServiceEntry
      metadata: {name: hostile, namespace: istio-system}
      spec:
        hosts: [hostile-se.example.com]
        addresses: [240.0.0.10]
        ports: [{number: 8080, name: http-alt, protocol: HTTP, targetPort: 8080}]
        location: MESH_EXTERNAL
        resolution: STATIC
        endpoints: [{address: 203.0.113.10, ports: {http-alt: 8080}, labels: {version: v1}, weight: 1}]
        exportTo: ["*"]
      """);

  static final Seed GATEWAY = new Seed("Gateway", "Gateway istio-system/hostile", """
      apiVersion: networking.istio.io/v1
      kind: Gateway
      metadata: {name: hostile, namespace: istio-system}
      spec:
        selector: {istio: egressgateway}
        servers:
        - port: {number: 8081, name: http-hostile, protocol: HTTP}
          hosts: [hostile.example.com]
          name: hostile-server
      """);

  static final Seed VIRTUAL_SERVICE = new Seed("VirtualService", "VirtualService istio-system/hostile", """
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata: {name: hostile, namespace: istio-system}
      spec:
        hosts: [hostile.example.com]
        gateways: [good-gw, mesh]
        http:
        - name: r0
          match:
          - uri: {prefix: /api}
            headers: {x-env: {exact: prod}}
          route:
          - destination: {host: good.example.com, port: {number: 80}}
            weight: 100
          timeout: 5s
          retries: {attempts: 3, perTryTimeout: 2s}
      """);

  static final Seed DESTINATION_RULE = new Seed("DestinationRule", "DestinationRule istio-system/hostile", """
      apiVersion: networking.istio.io/v1
      kind: DestinationRule
      metadata: {name: hostile, namespace: istio-system}
      spec:
        host: hostile-se.example.com
        trafficPolicy:
          connectionPool: {tcp: {maxConnections: 100, connectTimeout: 5s}, http: {http1MaxPendingRequests: 10}}
          outlierDetection: {consecutive5xxErrors: 5, interval: 10s, baseEjectionTime: 30s, maxEjectionPercent: 50}
          tls: {mode: SIMPLE, sni: hostile-se.example.com}
        subsets: [{name: v1, labels: {version: v1}}]
      """);

  static final Seed SIDECAR = new Seed("Sidecar", "Sidecar apps/hostile", """
      apiVersion: networking.istio.io/v1
      kind: Sidecar
      metadata: {name: hostile, namespace: apps}
      spec:
        workloadSelector: {labels: {app: other}}
        egress: [{hosts: ["./*", "istio-system/*"]}]
        outboundTrafficPolicy: {mode: REGISTRY_ONLY}
      """);

  static final Seed AUTHORIZATION_POLICY =
      new Seed("AuthorizationPolicy", "AuthorizationPolicy istio-system/hostile", """
      apiVersion: security.istio.io/v1
      kind: AuthorizationPolicy
      metadata: {name: hostile, namespace: istio-system}
      spec:
        selector: {matchLabels: {istio: egressgateway}}
        action: DENY
        rules:
        - from: [{source: {ipBlocks: [203.0.113.0/24], notIpBlocks: [203.0.113.7]}}]
          to: [{operation: {hosts: [hostile.example.com], paths: [/admin], methods: [POST], ports: ["80"]}}]
          when: [{key: "request.headers[x-token]", values: [bad]}]
      """);

  static final Seed ENVOY_FILTER = new Seed("EnvoyFilter", "EnvoyFilter istio-system/hostile", """
      apiVersion: networking.istio.io/v1alpha3
      kind: EnvoyFilter
      metadata: {name: hostile, namespace: istio-system}
      spec:
        workloadSelector: {labels: {istio: egressgateway}}
        configPatches:
        - applyTo: HTTP_FILTER
          match:
            context: GATEWAY
            listener:
              filterChain:
                filter:
                  name: envoy.filters.network.http_connection_manager
                  subFilter: {name: envoy.filters.http.router}
          patch:
            operation: INSERT_BEFORE
            value:
              name: envoy.filters.http.local_ratelimit
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit
                stat_prefix: http_local_rate_limiter
                token_bucket: {max_tokens: 4, tokens_per_fill: 4, fill_interval: 60s}
      """);

  static final Seed SECRET = new Seed("Secret", "Secret istio-system/hostile", """
      apiVersion: v1
      kind: Secret
      metadata: {name: hostile, namespace: istio-system}
      type: Opaque
      data: {ca.crt: aGVsbG8=}
      """);

  static final Seed MESH_CONFIG = new Seed("ConfigMap", "ConfigMap istio-system/istio", """
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: istio, namespace: istio-system}
      data:
        mesh: |
          outboundTrafficPolicy:
            mode: REGISTRY_ONLY
      """);

  static final Seed SERVICE = new Seed("Service", "Service istio-system/hostile", """
      apiVersion: v1
      kind: Service
      metadata: {name: hostile, namespace: istio-system}
      spec:
        type: ClusterIP
        clusterIP: 10.96.0.20
        ports: [{name: http, port: 80, protocol: TCP}]
      """);

  static final Seed ENDPOINT_SLICE = new Seed("EndpointSlice", "EndpointSlice istio-system/hostile-abc", """
      apiVersion: discovery.k8s.io/v1
      kind: EndpointSlice
      metadata:
        name: hostile-abc
        namespace: istio-system
        labels: {kubernetes.io/service-name: hostile}
      addressType: IPv4
      endpoints:
      - addresses: [10.1.0.5]
        conditions: {ready: true}
        targetRef: {kind: Pod, name: hostile}
      ports: [{name: http, port: 8080}]
      """);

  static final Seed POD = new Seed("Pod", "Pod istio-system/hostile", """
      apiVersion: v1
      kind: Pod
      metadata:
        name: hostile
        namespace: istio-system
        labels: {app: hostile, version: v1}
      spec:
        serviceAccountName: hostile
      """);

  static final ImmutableList<Seed> ALL =
      ImmutableList.of(
          SERVICE_ENTRY, GATEWAY, VIRTUAL_SERVICE, DESTINATION_RULE, SIDECAR, AUTHORIZATION_POLICY,
          ENVOY_FILTER, SECRET, MESH_CONFIG, SERVICE, ENDPOINT_SLICE, POD);

  /** The Istio kinds: custom resources, which a Kubernetes API server stores as they are written. */
  static final ImmutableList<Seed> ISTIO =
      ImmutableList.of(
          SERVICE_ENTRY, GATEWAY, VIRTUAL_SERVICE, DESTINATION_RULE, SIDECAR, AUTHORIZATION_POLICY,
          ENVOY_FILTER);
}
