package dev.outpost.it.tls;

/**
 * The Istio manifests of the TLS end-to-end tests, shaped like the egress guides' examples but
 * pointed at the test's upstream servers: each ServiceEntry names the external host the test
 * certificates are issued for, with an endpoint where Envoy reaches this machine (STATIC for an IP
 * address, DNS for a name such as Testcontainers' host alias).
 */
final class TlsEgressManifests {
  static final String NAMESPACE = EgressRig.NAMESPACE;

  private TlsEgressManifests() {}

  static String resolution(String address) {
    return address.matches("\\d+\\.\\d+\\.\\d+\\.\\d+") ? "STATIC" : "DNS";
  }

  /**
   * TLS origination (SIMPLE or MUTUAL) as in Istio's "egress gateway with TLS origination": the
   * gateway takes plain HTTP for {@code host} on its port, routes it to the host's port 443, and
   * the DestinationRule for port 443 originates TLS with Secret {@code credentialName}.
   */
  static String origination(
      String host, String upstreamAddress, int upstreamPort, int gatewayPort, String tlsMode, String credentialName) {
    return """
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: external, namespace: %6$s}
        spec:
          hosts: [%1$s]
          location: MESH_EXTERNAL
          resolution: %7$s
          ports:
          - {number: 80, name: http, protocol: HTTP}
          - {number: 443, name: https, protocol: HTTPS}
          endpoints:
          - address: %2$s
            ports: {http: %3$d, https: %3$d}
        ---
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: egress, namespace: %6$s}
        spec:
          selector: {istio: egressgateway}
          servers:
          - port: {number: %4$d, name: http, protocol: HTTP}
            hosts: [%1$s]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: external-through-egress, namespace: %6$s}
        spec:
          hosts: [%1$s]
          gateways: [egress]
          http:
          - route:
            - destination:
                host: %1$s
                port: {number: 443}
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: originate-tls, namespace: %6$s}
        spec:
          host: %1$s
          trafficPolicy:
            portLevelSettings:
            - port: {number: 443}
              tls:
                mode: %5$s
                credentialName: %8$s
                sni: %1$s
        """
        .formatted(host, upstreamAddress, upstreamPort, gatewayPort, tlsMode, NAMESPACE, resolution(upstreamAddress), credentialName);
  }

  /**
   * SNI passthrough: a TLS server on the gateway port in PASSTHROUGH mode and a VirtualService
   * {@code tls} route by SNI to the host's port 443. The gateway holds no certificate.
   */
  static String passthrough(String host, String upstreamAddress, int upstreamPort, int gatewayPort) {
    return """
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: passthrough, namespace: %5$s}
        spec:
          hosts: [%1$s]
          location: MESH_EXTERNAL
          resolution: %6$s
          ports:
          - {number: 443, name: tls, protocol: TLS}
          endpoints:
          - address: %2$s
            ports: {tls: %3$d}
        ---
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: egress-passthrough, namespace: %5$s}
        spec:
          selector: {istio: egressgateway}
          servers:
          - port: {number: %4$d, name: tls, protocol: TLS}
            hosts: [%1$s]
            tls: {mode: PASSTHROUGH}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: passthrough-through-egress, namespace: %5$s}
        spec:
          hosts: [%1$s]
          gateways: [egress-passthrough]
          tls:
          - match:
            - port: %4$d
              sniHosts: [%1$s]
            route:
            - destination:
                host: %1$s
                port: {number: 443}
        """
        .formatted(host, upstreamAddress, upstreamPort, gatewayPort, NAMESPACE, resolution(upstreamAddress));
  }

  /**
   * Mesh mTLS to the gateway, as in the ASM egress guide: a server with protocol HTTPS and TLS mode
   * ISTIO_MUTUAL (the gateway presents its mesh identity and requires one from the mesh CA), then
   * plain HTTP routing to the external host's port 80.
   */
  static String istioMutualGateway(String host, String upstreamAddress, int upstreamPort, int gatewayPort) {
    return """
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: plain, namespace: %5$s}
        spec:
          hosts: [%1$s]
          location: MESH_EXTERNAL
          resolution: %6$s
          ports:
          - {number: 80, name: http, protocol: HTTP}
          endpoints:
          - address: %2$s
            ports: {http: %3$d}
        ---
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: egress-mesh, namespace: %5$s}
        spec:
          selector: {istio: egressgateway}
          servers:
          - port: {number: %4$d, name: https-mesh, protocol: HTTPS}
            hosts: [%1$s]
            tls: {mode: ISTIO_MUTUAL}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: plain-through-egress, namespace: %5$s}
        spec:
          hosts: [%1$s]
          gateways: [egress-mesh]
          http:
          - route:
            - destination:
                host: %1$s
                port: {number: 80}
        """
        .formatted(host, upstreamAddress, upstreamPort, gatewayPort, NAMESPACE, resolution(upstreamAddress));
  }
}
