package dev.outpost.it.hostile;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.outpost.translator.api.ProxyIdentity;
import dev.outpost.translator.api.ProxyRole;

/**
 * The known-good config every case sits beside: a Gateway, a VirtualService bound to it and to the
 * mesh, the ServiceEntry it routes to and a DestinationRule for it. Whatever a case adds, the
 * gateway and a client proxy must still get what these make (Design 5.2: bad input stays local).
 * The Gateway also serves hostile.example.com, so that the hostile VirtualServices of the corpus
 * bind to a real gateway server and go through translation, not only parsing.
 */
final class GoodConfig {
  private GoodConfig() {}

  static final String FILE_NAME = "good.yaml";

  static final String SERVICE_ENTRY =
      """
      apiVersion: networking.istio.io/v1
      kind: ServiceEntry
      metadata: {name: good, namespace: istio-system}
      spec:
        hosts: [good.example.com]
        ports: [{number: 80, name: http, protocol: HTTP}]
        resolution: DNS
      """;

  static final String GATEWAY =
      """
      apiVersion: networking.istio.io/v1
      kind: Gateway
      metadata: {name: good-gw, namespace: istio-system}
      spec:
        selector: {istio: egressgateway}
        servers:
        - port: {number: 80, name: http, protocol: HTTP}
          hosts: [good.example.com, hostile.example.com]
      """;

  static final String VIRTUAL_SERVICE =
      """
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata: {name: good-vs, namespace: istio-system}
      spec:
        hosts: [good.example.com]
        gateways: [good-gw, mesh]
        http:
        - route:
          - destination: {host: good.example.com, port: {number: 80}}
      """;

  static final String DESTINATION_RULE =
      """
      apiVersion: networking.istio.io/v1
      kind: DestinationRule
      metadata: {name: good-dr, namespace: istio-system}
      spec:
        host: good.example.com
        trafficPolicy: {connectionPool: {tcp: {maxConnections: 10}}}
      """;

  static final ImmutableList<String> OBJECTS =
      ImmutableList.of(SERVICE_ENTRY, GATEWAY, VIRTUAL_SERVICE, DESTINATION_RULE);

  /** All four in one file, as a user keeps them. */
  static String file() {
    return String.join("---\n", OBJECTS);
  }

  static final String CLUSTER = "outbound|80||good.example.com";
  static final String VIRTUAL_HOST = "good.example.com:80";

  /** A proxy of the corpus, and the listener and route configuration the good config gives it. */
  enum Role {
    GATEWAY(
        ProxyIdentity.of("hostile-gw", ProxyRole.GATEWAY, "istio-system", "istio-egressgateway",
            ImmutableMap.of("istio", "egressgateway")),
        "0.0.0.0_80", "http.80"),
    CLIENT(
        ProxyIdentity.of("hostile-client", ProxyRole.CLIENT, "apps", "sleep", ImmutableMap.of("app", "sleep")),
        "127.0.0.1_15080", "http_proxy");

    final ProxyIdentity identity;
    final String listener;
    final String routeConfig;

    Role(ProxyIdentity identity, String listener, String routeConfig) {
      this.identity = identity;
      this.listener = listener;
      this.routeConfig = routeConfig;
    }

    /** The same proxy as {@code outpost translate} options. */
    ImmutableList<String> translateArgs() {
      return ImmutableList.of(
          "--role", identity.role().wireName(),
          "--namespace", identity.namespace(),
          "--service-account", identity.serviceAccount(),
          "--node-id", identity.nodeId(),
          "--labels", identity.labels().entrySet().stream()
              .map(e -> e.getKey() + "=" + e.getValue()).reduce((a, b) -> a + "," + b).orElse(""));
    }
  }
}
