package dev.outpost.translator.parse;

import dev.outpost.translator.model.EnvoyFilter.ApplyTo;
import dev.outpost.translator.model.EnvoyFilter.ClusterMatch;
import dev.outpost.translator.model.EnvoyFilter.FilterChainMatch;
import dev.outpost.translator.model.EnvoyFilter.FilterMatch;
import dev.outpost.translator.model.EnvoyFilter.ListenerMatch;
import dev.outpost.translator.model.EnvoyFilter.RouteConfigurationMatch;
import dev.outpost.translator.model.EnvoyFilter.VirtualHostMatch;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Reads a config patch's {@code match.listener}, {@code match.routeConfiguration} and {@code
 * match.cluster}, with the checks of Istio's validation (a filter match needs a name; a sub-filter
 * match is for HTTP filters inside the HTTP connection manager). Fields Outpost does not match on
 * are warned about: ignoring them makes the match wider than written.
 */
final class EnvoyFilterMatchParser {
  /** The HTTP connection manager's name, and the deprecated one Istio still accepts. */
  private static final Set<String> HTTP_CONNECTION_MANAGER =
      Set.of("envoy.filters.network.http_connection_manager", "envoy.http_connection_manager");

  private static final Set<String> TRANSPORT_PROTOCOLS = Set.of("tls", "raw_buffer");

  private EnvoyFilterMatchParser() {}

  static ListenerMatch listener(FieldReader l, Optional<ApplyTo> applyTo) {
    OptionalInt port = portNumber(l);
    Optional<String> name = l.string("name");
    Optional<FilterChainMatch> chain = l.object("filterChain").map(c -> filterChain(c, applyTo));
    l.finish();
    return new ListenerMatch(port, name, chain);
  }

  private static FilterChainMatch filterChain(FieldReader c, Optional<ApplyTo> applyTo) {
    Optional<String> name = c.string("name");
    Optional<String> sni = c.string("sni");
    Optional<String> transport = c.string("transportProtocol");
    transport
        .filter(t -> !TRANSPORT_PROTOCOLS.contains(t))
        .ifPresent(
            t ->
                c.warning(
                    "transportProtocol",
                    "\"" + t + "\" matches no filter chain: Envoy's transport protocols are"
                        + " \"tls\" and \"raw_buffer\""));
    for (String unused : new String[] {"applicationProtocols", "destinationPort"}) {
      if (c.has(unused)) {
        c.warning(
            unused,
            "is not used: Outpost does not match filter chains on it, so the patch applies to"
                + " every chain the other fields match");
      }
    }
    Optional<FilterMatch> filter = c.object("filter").flatMap(f -> filter(f, applyTo));
    applyTo
        .filter(a -> a == ApplyTo.LISTENER || a == ApplyTo.FILTER_CHAIN)
        .filter(a -> c.has("filter"))
        .ifPresent(
            a ->
                c.warning(
                    "filter",
                    "has no effect with applyTo " + a + ": a filter match selects filters, not"
                        + " the listener or chain that holds them"));
    c.finish();
    return new FilterChainMatch(name, sni, transport, filter);
  }

  private static Optional<FilterMatch> filter(FieldReader f, Optional<ApplyTo> applyTo) {
    String name = f.requiredString("name");
    Optional<String> subFilter = f.object("subFilter").map(s -> subFilter(s));
    if (f.has("subFilter")) {
      if (applyTo.isPresent() && applyTo.get() != ApplyTo.HTTP_FILTER) {
        f.error(
            "subFilter",
            "can only be used with applyTo HTTP_FILTER (it selects an HTTP filter), not "
                + applyTo.get());
      }
      if (!name.isEmpty() && !HTTP_CONNECTION_MANAGER.contains(name)) {
        f.error(
            "subFilter",
            "needs the filter match to be the HTTP connection manager, whose HTTP filters it"
                + " selects: set name to envoy.filters.network.http_connection_manager (not \""
                + name
                + "\")");
      }
    }
    f.finish();
    return name.isEmpty() ? Optional.empty() : Optional.of(new FilterMatch(name, subFilter));
  }

  private static String subFilter(FieldReader s) {
    String name = s.requiredString("name");
    s.finish();
    return name;
  }

  static RouteConfigurationMatch routeConfiguration(FieldReader r) {
    OptionalInt port = portNumber(r);
    Optional<String> portName = r.string("portName");
    Optional<String> gateway = r.string("gateway");
    gateway
        .filter(g -> !isNamespacedName(g))
        .ifPresent(
            g ->
                r.error(
                    "gateway",
                    "\"" + g + "\" must be the Gateway's namespace/name, e.g."
                        + " istio-system/istio-egressgateway"));
    Optional<String> name = r.string("name");
    Optional<VirtualHostMatch> vhost = r.object("vhost").map(EnvoyFilterMatchParser::vhost);
    r.finish();
    return new RouteConfigurationMatch(port, portName, gateway, name, vhost);
  }

  private static VirtualHostMatch vhost(FieldReader v) {
    Optional<String> name = v.string("name");
    Optional<String> route =
        v.object("route")
            .flatMap(
                r -> {
                  Optional<String> routeName = r.string("name");
                  if (r.has("action")) {
                    r.warning(
                        "action",
                        "is not used: Outpost matches routes by name only, so the patch applies"
                            + " whatever the route's action");
                  }
                  r.finish();
                  return routeName;
                });
    v.finish();
    return new VirtualHostMatch(name, route);
  }

  static ClusterMatch cluster(FieldReader c) {
    OptionalInt port = portNumber(c);
    Optional<String> service = c.string("service");
    Optional<String> subset = c.string("subset");
    Optional<String> name = c.string("name");
    c.finish();
    return new ClusterMatch(port, service, subset, name);
  }

  private static OptionalInt portNumber(FieldReader r) {
    return r.port("portNumber").map(OptionalInt::of).orElse(OptionalInt.empty());
  }

  private static boolean isNamespacedName(String g) {
    int slash = g.indexOf('/');
    return slash > 0
        && Names.isDns1123Label(g.substring(0, slash))
        && Names.isDns1123Subdomain(g.substring(slash + 1));
  }
}
