package dev.outpost.translator.patch;

import dev.outpost.translator.api.ProxyRole;
import dev.outpost.translator.model.EnvoyFilter.RouteConfigurationMatch;
import dev.outpost.translator.model.EnvoyFilter.VirtualHostMatch;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.util.Optional;

/**
 * {@code match.routeConfiguration} against route configurations, virtual hosts and routes.
 *
 * <p>On gateways, {@code portNumber}, {@code portName} and {@code gateway} are read from the route
 * config's name, as Istio does: {@code http.PORT} (plaintext servers of a port share it; no port
 * name or gateway) and {@code https.PORT.PORTNAME.GATEWAY.NAMESPACE} (one TLS-terminating server;
 * gateway {@code NAMESPACE/GATEWAY}). On client proxies, as on Istio's sidecars, the port is the
 * route config's name when that is a number, and {@code portName}/{@code gateway} are not
 * compared.
 */
final class RouteConfigMatching {
  private RouteConfigMatching() {}

  /** The parts of a gateway route config name; port 0 and empty strings where it has none. */
  record GatewayRouteName(int port, String portName, String gateway) {
    static GatewayRouteName parse(String name) {
      String[] parts = name.split("\\.", -1);
      if (name.startsWith("http.") && parts.length == 2) {
        return new GatewayRouteName(number(parts[1]), "", "");
      }
      if (name.startsWith("https.") && parts.length == 5) {
        return new GatewayRouteName(number(parts[1]), parts[2], parts[4] + "/" + parts[3]);
      }
      return new GatewayRouteName(0, "", "");
    }
  }

  static boolean routeConfiguration(
      RouteConfiguration routes, Optional<RouteConfigurationMatch> match, ProxyRole role) {
    if (match.isEmpty()) {
      return true;
    }
    RouteConfigurationMatch m = match.get();
    if (m.name().isPresent() && !m.name().get().equals(routes.getName())) {
      return false;
    }
    if (role != ProxyRole.GATEWAY) {
      return m.portNumber().isEmpty() || m.portNumber().getAsInt() == number(routes.getName());
    }
    GatewayRouteName parsed = GatewayRouteName.parse(routes.getName());
    return (m.portNumber().isEmpty() || m.portNumber().getAsInt() == parsed.port())
        && (m.portName().isEmpty() || m.portName().get().equals(parsed.portName()))
        && (m.gateway().isEmpty() || m.gateway().get().equals(parsed.gateway()));
  }

  /** {@code vhost.name}; no vhost match selects every virtual host. */
  static boolean virtualHost(VirtualHost host, Optional<RouteConfigurationMatch> match) {
    Optional<VirtualHostMatch> m = match.flatMap(RouteConfigurationMatch::vhost);
    return m.isEmpty() || m.get().name().isEmpty() || m.get().name().get().equals(host.getName());
  }

  static Optional<String> routeName(Optional<RouteConfigurationMatch> match) {
    return match.flatMap(RouteConfigurationMatch::vhost).flatMap(VirtualHostMatch::routeName);
  }

  /** {@code vhost.route.name}; no route match selects every route. */
  static boolean route(Route route, Optional<RouteConfigurationMatch> match) {
    return routeName(match).map(route.getName()::equals).orElse(true);
  }

  private static int number(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
