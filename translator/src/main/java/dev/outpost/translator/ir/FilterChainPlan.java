package dev.outpost.translator.ir;

import com.google.common.collect.ImmutableList;
import java.util.Objects;
import java.util.Optional;

/**
 * One filter chain of a gateway listener: what it matches (SNI host names; none matches any
 * connection), whether it terminates TLS, and what it does with the traffic.
 */
public sealed interface FilterChainPlan permits FilterChainPlan.Http, FilterChainPlan.TcpProxy {

  /**
   * SNI names the chain matches ({@code filter_chain_match.server_names}), lower case, exact or
   * {@code *.suffix}; empty for a chain that takes any connection.
   */
  ImmutableList<String> serverNames();

  /** Downstream TLS the chain terminates; empty for plaintext and for passthrough. */
  Optional<DownstreamTls> tls();

  /**
   * HTTP connection manager with routes from route config {@code routeConfigName}.
   *
   * @param virtualHosts the route config's content
   * @param clientProxy present on a client proxy's listeners: the chain serves applications, not
   *     a gateway's callers
   */
  record Http(
      String routeConfigName,
      ImmutableList<VirtualHost> virtualHosts,
      ImmutableList<String> serverNames,
      Optional<DownstreamTls> tls,
      Optional<ClientProxy> clientProxy)
      implements FilterChainPlan {
    public Http {
      Objects.requireNonNull(routeConfigName, "routeConfigName");
      Objects.requireNonNull(virtualHosts, "virtualHosts");
      Objects.requireNonNull(serverNames, "serverNames");
      Objects.requireNonNull(tls, "tls");
      Objects.requireNonNull(clientProxy, "clientProxy");
    }

    /** A gateway's HTTP chain. */
    public Http(
        String routeConfigName,
        ImmutableList<VirtualHost> virtualHosts,
        ImmutableList<String> serverNames,
        Optional<DownstreamTls> tls) {
      this(routeConfigName, virtualHosts, serverNames, tls, Optional.empty());
    }

    /** A client proxy's plaintext HTTP chain for applications. */
    public static Http forClient(
        String routeConfigName, ImmutableList<VirtualHost> virtualHosts, ClientProxy clientProxy) {
      return new Http(
          routeConfigName,
          virtualHosts,
          ImmutableList.of(),
          Optional.empty(),
          Optional.of(clientProxy));
    }
  }

  /**
   * Bytes forwarded to one cluster or split by weight across several (per connection).
   *
   * @param destinations at least one; weights only matter when there are several
   * @param passthrough the bytes are the client's own TLS session (PASSTHROUGH), whose SNI the
   *     gateway reads even when the chain matches any name, for the access log
   */
  record TcpProxy(
      ImmutableList<WeightedDestination> destinations,
      ImmutableList<String> serverNames,
      Optional<DownstreamTls> tls,
      boolean passthrough)
      implements FilterChainPlan {
    public TcpProxy {
      Objects.requireNonNull(destinations, "destinations");
      Objects.requireNonNull(serverNames, "serverNames");
      Objects.requireNonNull(tls, "tls");
      if (destinations.isEmpty()) {
        throw new IllegalArgumentException("a TCP proxy chain needs a destination");
      }
      if (passthrough && tls.isPresent()) {
        throw new IllegalArgumentException("a passthrough chain does not terminate TLS");
      }
    }

    /** A chain for plaintext TCP, or for TCP inside TLS the chain terminates. */
    public TcpProxy(
        ImmutableList<WeightedDestination> destinations,
        ImmutableList<String> serverNames,
        Optional<DownstreamTls> tls) {
      this(destinations, serverNames, tls, false);
    }

    /** A PASSTHROUGH chain: matched by SNI (none: any), no TLS context of its own. */
    public static TcpProxy passthrough(
        ImmutableList<WeightedDestination> destinations, ImmutableList<String> serverNames) {
      return new TcpProxy(destinations, serverNames, Optional.empty(), true);
    }
  }
}
