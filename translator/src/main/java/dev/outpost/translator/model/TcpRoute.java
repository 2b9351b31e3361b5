package dev.outpost.translator.model;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import java.util.Optional;

/** {@code spec.tcp[]}: routes TCP traffic. */
public record TcpRoute(ImmutableList<Match> match, ImmutableList<RouteDestination> route) {

  /**
   * {@code tcp[].match[]} ({@code L4MatchAttributes}).
   *
   * @param destinationSubnets IPs or CIDRs of the original destination
   * @param port the port the connection came in on
   * @param sourceLabels not supported yet
   * @param gateways restricts this match to these gateways
   * @param sourceNamespace not supported yet
   */
  public record Match(
      ImmutableList<String> destinationSubnets,
      Optional<Integer> port,
      ImmutableSortedMap<String, String> sourceLabels,
      ImmutableList<String> gateways,
      Optional<String> sourceNamespace) {}
}
