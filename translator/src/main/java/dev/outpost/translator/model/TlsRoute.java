package dev.outpost.translator.model;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import java.util.Optional;

/** {@code spec.tls[]}: routes TLS passthrough traffic by SNI. {@code match} has at least one. */
public record TlsRoute(ImmutableList<Match> match, ImmutableList<RouteDestination> route) {

  /**
   * {@code tls[].match[]} ({@code TLSMatchAttributes}).
   *
   * @param sniHosts SNI values to match, at least one; each must fall under the VS hosts
   * @param destinationSubnets IPs or CIDRs of the original destination
   * @param port the port the connection came in on
   * @param sourceLabels not supported yet
   * @param gateways restricts this match to these gateways
   * @param sourceNamespace not supported yet
   */
  public record Match(
      ImmutableList<String> sniHosts,
      ImmutableList<String> destinationSubnets,
      Optional<Integer> port,
      ImmutableSortedMap<String, String> sourceLabels,
      ImmutableList<String> gateways,
      Optional<String> sourceNamespace) {}
}
