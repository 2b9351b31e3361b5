package dev.outpost.it.client;

/**
 * The Istio manifests of Istio's guide "egress gateway with mutual TLS origination", pointed at the
 * test's servers: a workload in namespace {@code apps} calls {@code http://HOST}; its client proxy
 * sends the request to the egress gateway over mesh mTLS (ISTIO_MUTUAL, SNI = HOST); the gateway
 * originates mutual TLS to HOST with the client certificate of Secret {@link #CREDENTIAL}.
 * REGISTRY_ONLY is set in the mesh config, and the namespaces' Sidecars limit what their proxies see.
 */
public final class ClientProxyManifests {
  static final String APPS = "apps";
  static final String RESTRICTED = "restricted";
  static final String SYSTEM = "istio-system";
  static final String GATEWAY_SERVICE_ACCOUNT = "istio-egressgateway";
  static final String GATEWAY_LABELS = "istio=egressgateway";
  /** The gateway as the mesh names it; in file mode a ServiceEntry declares it ({@link #egressGatewayService}). */
  public static final String GATEWAY_HOST = "istio-egressgateway.istio-system.svc.cluster.local";
  /** The Secret in the gateway's namespace with the client certificate the gateway presents upstream. */
  static final String CREDENTIAL = "client-cert";

  /**
   * What the manifests depend on.
   *
   * @param host the external host the upstream's certificate is issued for
   * @param upstreamAddress where Envoy reaches the upstream (an IP gives STATIC, a name DNS)
   * @param gatewayServerPort the Gateway server's port, which is the port the gateway Envoy listens on
   * @param proxyBind the address of the client proxies' HTTP proxy listener (Sidecar egress {@code bind})
   */
  record Scenario(String host, String upstreamAddress, int upstreamPort, int gatewayServerPort, String proxyBind) {}

  private ClientProxyManifests() {}

  static String resolution(String address) {
    return address.matches("\\d+\\.\\d+\\.\\d+\\.\\d+") ? "STATIC" : "DNS";
  }

  /**
   * The guide's traffic path: the ServiceEntry of the external host (in the workload's namespace),
   * the Gateway, the VirtualService with a {@code mesh} half (client proxies: port 80 to the
   * gateway's 443) and a gateway half (the gateway: to HOST:443), and one DestinationRule per hop.
   */
  static String egress(Scenario s) {
    return """
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: external-mtls, namespace: %6$s}
        spec:
          hosts: [%1$s]
          location: MESH_EXTERNAL
          resolution: %5$s
          ports:
          - {number: 80, name: http, protocol: HTTP}
          - {number: 443, name: https, protocol: HTTPS}
          endpoints:
          - address: %2$s
            ports: {http: %3$d, https: %3$d}
        ---
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: istio-egressgateway, namespace: %7$s}
        spec:
          selector: {istio: egressgateway}
          servers:
          - port: {number: %4$d, name: https, protocol: HTTPS}
            hosts: [%1$s]
            tls: {mode: ISTIO_MUTUAL}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: direct-external-through-egress-gateway, namespace: %6$s}
        spec:
          hosts: [%1$s]
          gateways: [mesh, %7$s/istio-egressgateway]
          http:
          - match:
            - gateways: [mesh]
              port: 80
            route:
            - destination:
                host: %8$s
                port: {number: 443}
          - match:
            - gateways: [%7$s/istio-egressgateway]
              port: %4$d
            route:
            - destination:
                host: %1$s
                port: {number: 443}
        ---
        # Client proxies: mesh mTLS to the gateway with their own identity; the SNI is the external
        # host, which is how the gateway's HTTPS server (hosts: [HOST]) picks its filter chain.
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: egressgateway-for-external, namespace: %6$s}
        spec:
          host: %8$s
          trafficPolicy:
            portLevelSettings:
            - port: {number: 443}
              tls: {mode: ISTIO_MUTUAL, sni: %1$s}
        ---
        # The gateway: mutual TLS to the external host with the Secret's client certificate. Exported
        # to its own namespace only: istio-system is the root namespace, whose rules would otherwise
        # apply to every client proxy too, and those cannot read a Secret in istio-system.
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: originate-mtls-for-external, namespace: %7$s}
        spec:
          host: %1$s
          exportTo: ["."]
          trafficPolicy:
            portLevelSettings:
            - port: {number: 443}
              tls: {mode: MUTUAL, credentialName: %9$s, sni: %1$s}
        """
        .formatted(
            s.host(), s.upstreamAddress(), s.upstreamPort(), s.gatewayServerPort(), resolution(s.upstreamAddress()),
            APPS, SYSTEM, GATEWAY_HOST, CREDENTIAL);
  }

  /**
   * File mode has no Kubernetes Service for the gateway, so a ServiceEntry declares it where the
   * gateway Envoy listens ({@code address:port} as client proxies reach it), with the gateway pod's
   * labels and service account. The service account makes client proxies verify that the peer is
   * the gateway ({@code spiffe://cluster.local/ns/istio-system/sa/istio-egressgateway}).
   */
  public static String egressGatewayService(String address, int port) {
    return """
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: istio-egressgateway, namespace: %4$s}
        spec:
          hosts: [%1$s]
          location: MESH_INTERNAL
          resolution: %5$s
          ports:
          - {number: 443, name: https, protocol: HTTPS}
          endpoints:
          - address: %2$s
            ports: {https: %3$d}
            labels: {istio: egressgateway}
            serviceAccount: %6$s
        """
        .formatted(GATEWAY_HOST, address, port, SYSTEM, resolution(address), GATEWAY_SERVICE_ACCOUNT);
  }

  /**
   * Which hosts each namespace's client proxies see: {@code apps} its own and istio-system's (the
   * gateway), {@code restricted} only its own, so the external host in {@code apps} is not
   * reachable from there. Both bind the HTTP proxy listener (port 15080) to {@code bind}.
   */
  static String sidecars(String bind) {
    return """
        apiVersion: networking.istio.io/v1
        kind: Sidecar
        metadata: {name: default, namespace: %2$s}
        spec:
          egress:
          - bind: %1$s
            hosts: ["./*", "%4$s/*"]
        ---
        apiVersion: networking.istio.io/v1
        kind: Sidecar
        metadata: {name: default, namespace: %3$s}
        spec:
          egress:
          - bind: %1$s
            hosts: ["./*"]
        """
        .formatted(bind, APPS, RESTRICTED, SYSTEM);
  }

  /** Istio's mesh config (ConfigMap istio, key mesh, in the root namespace) with the outbound mode. */
  static String meshConfig(String outboundTrafficMode) {
    return """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: istio, namespace: %2$s}
        data:
          mesh: |
            outboundTrafficPolicy:
              mode: %1$s
        """
        .formatted(outboundTrafficMode, SYSTEM);
  }
}
