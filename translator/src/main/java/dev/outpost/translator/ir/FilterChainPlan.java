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
   */
  record Http(
      String routeConfigName,
      ImmutableList<VirtualHost> virtualHosts,
      ImmutableList<String> serverNames,
      Optional<DownstreamTls> tls)
      implements FilterChainPlan {
    public Http {
      Objects.requireNonNull(routeConfigName, "routeConfigName");
      Objects.requireNonNull(virtualHosts, "virtualHosts");
      Objects.requireNonNull(serverNames, "serverNames");
      Objects.requireNonNull(tls, "tls");
    }
  }

  /**
   * Bytes forwarded to one cluster or split by weight across several (per connection).
   *
   * @param destinations at least one; weights only matter when there are several
   */
  record TcpProxy(
      ImmutableList<WeightedDestination> destinations,
      ImmutableList<String> serverNames,
      Optional<DownstreamTls> tls)
      implements FilterChainPlan {
    public TcpProxy {
      Objects.requireNonNull(destinations, "destinations");
      Objects.requireNonNull(serverNames, "serverNames");
      Objects.requireNonNull(tls, "tls");
      if (destinations.isEmpty()) {
        throw new IllegalArgumentException("a TCP proxy chain needs a destination");
      }
    }
  }
}
