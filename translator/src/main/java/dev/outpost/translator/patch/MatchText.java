package dev.outpost.translator.patch;

import dev.outpost.translator.model.EnvoyFilter;
import dev.outpost.translator.model.EnvoyFilter.ClusterMatch;
import dev.outpost.translator.model.EnvoyFilter.FilterChainMatch;
import dev.outpost.translator.model.EnvoyFilter.ListenerMatch;
import dev.outpost.translator.model.EnvoyFilter.RouteConfigurationMatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A patch's match in one line, for the warning about a patch that matched nothing: what the user
 * asked for, next to the names Outpost gives its resources, is usually enough to spot the typo.
 */
final class MatchText {
  private MatchText() {}

  static String describe(EnvoyFilter.Patch patch) {
    List<String> parts = new ArrayList<>();
    patch.listener().ifPresent(m -> listener(m, parts));
    patch.routeConfiguration().ifPresent(m -> routeConfiguration(m, parts));
    patch.cluster().ifPresent(m -> cluster(m, parts));
    return parts.isEmpty() ? "no match conditions" : String.join(", ", parts);
  }

  /** Where to look for the names that can be matched. */
  static String hint(EnvoyFilter.ApplyTo applyTo) {
    return switch (applyTo) {
      case LISTENER, FILTER_CHAIN, NETWORK_FILTER, HTTP_FILTER ->
          "gateway listeners are named 0.0.0.0_PORT; HTTP chains run "
              + FilterNames.HTTP_CONNECTION_MANAGER
              + " with HTTP filters ending in envoy.filters.http.router";
      case ROUTE_CONFIGURATION, VIRTUAL_HOST, HTTP_ROUTE ->
          "gateway route configs are named http.PORT and https.PORT.PORTNAME.GATEWAY.NAMESPACE,"
              + " virtual hosts HOST:PORT";
      case CLUSTER -> "clusters are named outbound|PORT|SUBSET|HOST";
    };
  }

  private static void listener(ListenerMatch m, List<String> parts) {
    number("listener.portNumber", m.portNumber(), parts);
    text("listener.name", m.name(), parts);
    m.filterChain().ifPresent(chain -> filterChain(chain, parts));
  }

  private static void filterChain(FilterChainMatch m, List<String> parts) {
    text("filterChain.name", m.name(), parts);
    text("filterChain.sni", m.sni(), parts);
    text("filterChain.transportProtocol", m.transportProtocol(), parts);
    m.filter()
        .ifPresent(
            filter -> {
              parts.add("filter.name " + filter.name());
              text("filter.subFilter.name", filter.subFilter(), parts);
            });
  }

  private static void routeConfiguration(RouteConfigurationMatch m, List<String> parts) {
    number("routeConfiguration.portNumber", m.portNumber(), parts);
    text("routeConfiguration.portName", m.portName(), parts);
    text("routeConfiguration.gateway", m.gateway(), parts);
    text("routeConfiguration.name", m.name(), parts);
    m.vhost()
        .ifPresent(
            vhost -> {
              text("vhost.name", vhost.name(), parts);
              text("vhost.route.name", vhost.routeName(), parts);
            });
  }

  private static void cluster(ClusterMatch m, List<String> parts) {
    number("cluster.portNumber", m.portNumber(), parts);
    text("cluster.service", m.service(), parts);
    text("cluster.subset", m.subset(), parts);
    text("cluster.name", m.name(), parts);
  }

  private static void text(String name, Optional<String> value, List<String> parts) {
    value.ifPresent(v -> parts.add(name + " \"" + v + "\""));
  }

  private static void number(String name, OptionalInt value, List<String> parts) {
    value.ifPresent(v -> parts.add(name + " " + v));
  }
}
