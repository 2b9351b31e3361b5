package dev.outpost.translator.ir;

import com.google.common.collect.ImmutableList;
import java.util.Objects;
import java.util.Optional;

/**
 * One port of a gateway, as one Envoy listener: the servers merged onto it and the filter chains
 * they produced. Plaintext HTTP servers share a single chain (route config {@code http.PORT}); TLS
 * servers get chains told apart by SNI; a plaintext TCP server gets one chain. A port whose servers
 * produced no chain has no listener.
 *
 * @param bindAddress the address the listener binds to; {@code 0.0.0.0} unless a server says
 *     otherwise
 * @param chains in the order Envoy should see them (it picks by match, not order, but the order
 *     keeps the output stable)
 */
public record GatewayPort(
    int number,
    String bindAddress,
    ImmutableList<Server> servers,
    ImmutableList<FilterChainPlan> chains) {

  public GatewayPort {
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(servers, "servers");
    Objects.requireNonNull(chains, "chains");
    if (number < 1 || number > 65535) {
      throw new IllegalArgumentException("port out of range: " + number);
    }
  }

  /** A port of plaintext HTTP servers: one chain, route config {@code http.PORT}. */
  public static GatewayPort plaintextHttp(
      int number,
      String bindAddress,
      ImmutableList<Server> servers,
      ImmutableList<VirtualHost> virtualHosts) {
    return new GatewayPort(
        number,
        bindAddress,
        servers,
        ImmutableList.of(
            new FilterChainPlan.Http(
                plaintextRouteConfigName(number),
                virtualHosts,
                ImmutableList.of(),
                Optional.empty())));
  }

  /** Istio's shared route config name for plaintext HTTP servers: {@code http.80}. */
  public static String plaintextRouteConfigName(int number) {
    return "http." + number;
  }

  /** Istio's listener name, bind address and port: {@code 0.0.0.0_80}. */
  public String listenerName() {
    return bindAddress + "_" + number;
  }

  /**
   * Envoy can only match a chain by SNI after the TLS inspector has read the ClientHello; without
   * SNI matches the listener must not have it (it would delay plaintext protocols that wait for the
   * server to speak first).
   */
  public boolean needsTlsInspector() {
    return chains.stream().anyMatch(c -> !c.serverNames().isEmpty() || c.tls().isPresent());
  }

  /** The HTTP chains, each with its route config. */
  public ImmutableList<FilterChainPlan.Http> httpChains() {
    return chains.stream()
        .filter(FilterChainPlan.Http.class::isInstance)
        .map(FilterChainPlan.Http.class::cast)
        .collect(ImmutableList.toImmutableList());
  }

  /** Every SDS secret a chain of this port references. */
  public ImmutableList<SdsSecret> secrets() {
    return chains.stream()
        .flatMap(c -> c.tls().stream())
        .flatMap(t -> t.secrets().stream())
        .collect(ImmutableList.toImmutableList());
  }
}
