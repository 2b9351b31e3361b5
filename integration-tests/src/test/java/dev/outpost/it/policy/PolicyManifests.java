package dev.outpost.it.policy;

import static dev.outpost.it.policy.PolicyExamples.APPS;
import static dev.outpost.it.policy.PolicyExamples.PAYMENTS;
import static dev.outpost.it.policy.PolicyExamples.PAYMENTS_API;

import dev.outpost.it.client.ClientProxyManifests;
import dev.outpost.it.support.SecretManifest;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The traffic the policy tests act on, shaped like deploy/examples/policy/egress.yaml and
 * sni-allow.yaml but pointed at the test's own servers: the hosts are the examples' (the policies
 * name them), the endpoints and ports are where Envoy reaches this machine (STATIC for an IP
 * address, DNS for a name such as Testcontainers' host alias).
 */
final class PolicyManifests {
  static final String SYSTEM = "istio-system";
  /** Secret in the gateway's namespace with the CA that issued the payments API's test certificate. */
  static final String UPSTREAM_CA = "payments-api-ca";

  /**
   * What the mesh manifests depend on.
   *
   * @param upstreamAddress where the gateway reaches the payments API's test server
   * @param gatewayServerPort the Gateway server's port, which the gateway Envoy listens on
   * @param proxyBind the client proxies' HTTP proxy listener address (Sidecar egress {@code bind})
   */
  record Mesh(String upstreamAddress, int upstreamPort, int gatewayServerPort, String proxyBind) {}

  private PolicyManifests() {}

  static String resolution(String address) {
    return address.matches("\\d+\\.\\d+\\.\\d+\\.\\d+") ? "STATIC" : "DNS";
  }

  /**
   * egress.yaml with the test's addresses: client proxies in payments and apps send
   * {@code http://api.payments.example} over mesh mTLS (ISTIO_MUTUAL, SNI = the host) to the
   * gateway, which originates TLS to the test server, verified with the CA in Secret {@link
   * #UPSTREAM_CA}. The Sidecars let both namespaces see the host (declared in payments) and the
   * gateway (istio-system), and bind the HTTP proxy listener where the test reaches it.
   */
  static String mesh(Mesh m) {
    return """
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: payments-api, namespace: %6$s}
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
          - port: {number: %4$d, name: https-mesh, protocol: HTTPS}
            hosts: [%1$s]
            tls: {mode: ISTIO_MUTUAL}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: payments-api-through-egress-gateway, namespace: %6$s}
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
        # In the gateway Service's namespace, so that client proxies of every namespace use it.
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: egressgateway-for-payments-api, namespace: %7$s}
        spec:
          host: %8$s
          trafficPolicy:
            portLevelSettings:
            - port: {number: 443}
              tls: {mode: ISTIO_MUTUAL, sni: %1$s}
        ---
        # The gateway only (istio-system is the root namespace, whose rules would reach client proxies too).
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: originate-tls-for-payments-api, namespace: %7$s}
        spec:
          host: %1$s
          exportTo: ["."]
          trafficPolicy:
            portLevelSettings:
            - port: {number: 443}
              tls: {mode: SIMPLE, credentialName: %9$s, sni: %1$s}
        ---
        apiVersion: networking.istio.io/v1
        kind: Sidecar
        metadata: {name: default, namespace: %6$s}
        spec:
          egress:
          - bind: %10$s
            hosts: ["%6$s/*", "%7$s/*"]
        ---
        apiVersion: networking.istio.io/v1
        kind: Sidecar
        metadata: {name: default, namespace: %11$s}
        spec:
          egress:
          - bind: %10$s
            hosts: ["%6$s/*", "%7$s/*"]
        """
        .formatted(
            PAYMENTS_API, m.upstreamAddress(), m.upstreamPort(), m.gatewayServerPort(), resolution(m.upstreamAddress()),
            PAYMENTS, SYSTEM, ClientProxyManifests.GATEWAY_HOST, UPSTREAM_CA, m.proxyBind(), APPS);
  }

  /**
   * The config dir of a mesh test, file name to content: {@link #mesh}, the Secret with the
   * upstream's CA, and the policies of each example file named, taken from the file as written.
   * The gateway's own ServiceEntry ({@link #egressGatewayService}) comes once its address is known.
   */
  static Map<String, String> meshFiles(Mesh m, X509Certificate upstreamCa, String... policyExampleFiles) {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("mesh.yaml", mesh(m));
    files.put("secrets.yaml", SecretManifest.trustedCa(SYSTEM, UPSTREAM_CA, upstreamCa).yaml());
    for (String example : policyExampleFiles) {
      files.put(example, PolicyExamples.policies(example));
    }
    return files;
  }

  /** Where client proxies reach the gateway (file mode has no Kubernetes Service for it). */
  static String egressGatewayService(String address, int port) {
    return ClientProxyManifests.egressGatewayService(address, port);
  }

  /**
   * sni-allow.yaml's routing with the test's addresses: one TLS server in PASSTHROUGH mode on the
   * gateway port for every host, and a VirtualService {@code tls} route by SNI from each host to
   * its own test server ({@code upstreamPorts}: host to port on {@code upstreamAddress}). Every
   * host is routed, so a connection the gateway closes was closed by a policy, not for lack of a
   * route.
   */
  static String passthrough(String upstreamAddress, int gatewayPort, Map<String, Integer> upstreamPorts) {
    StringBuilder yaml = new StringBuilder();
    Map<String, Integer> hosts = new TreeMap<>(upstreamPorts);
    String hostList = String.join(", ", hosts.keySet());
    hosts.forEach((host, port) -> yaml.append("""
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: %1$s, namespace: %5$s}
        spec:
          hosts: [%1$s]
          location: MESH_EXTERNAL
          resolution: %4$s
          ports:
          - {number: 443, name: tls, protocol: TLS}
          endpoints:
          - address: %2$s
            ports: {tls: %3$d}
        ---
        """.formatted(host, upstreamAddress, port, resolution(upstreamAddress), SYSTEM)));
    yaml.append("""
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: partner-passthrough, namespace: %3$s}
        spec:
          selector: {istio: egressgateway}
          servers:
          - port: {number: %2$d, name: tls-partner, protocol: TLS}
            hosts: [%1$s]
            tls: {mode: PASSTHROUGH}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: partner-passthrough, namespace: %3$s}
        spec:
          hosts: [%1$s]
          gateways: [partner-passthrough]
          tls:
        """.formatted(hostList, gatewayPort, SYSTEM));
    hosts.keySet().forEach(host -> yaml.append("""
          - match:
            - port: %2$d
              sniHosts: [%1$s]
            route:
            - destination:
                host: %1$s
                port: {number: 443}
        """.formatted(host, gatewayPort)));
    return yaml.toString();
  }
}
