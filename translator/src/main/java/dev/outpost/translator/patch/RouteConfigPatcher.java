package dev.outpost.translator.patch;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.api.ProxyRole;
import dev.outpost.translator.model.EnvoyFilter;
import dev.outpost.translator.model.EnvoyFilter.RouteConfigurationMatch;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * applyTo ROUTE_CONFIGURATION, VIRTUAL_HOST and HTTP_ROUTE on the route configurations (RDS) that
 * {@code match.routeConfiguration} selects ({@link RouteConfigMatching}), as Istio applies them:
 *
 * <ul>
 *   <li>ROUTE_CONFIGURATION: MERGE.
 *   <li>VIRTUAL_HOST: ADD appends the value to each matched route config; MERGE, REPLACE and
 *       REMOVE act on the matched virtual hosts.
 *   <li>HTTP_ROUTE, in each matched virtual host: MERGE and REMOVE act on the matched routes (no
 *       {@code vhost.route} given: every route); ADD appends; INSERT_BEFORE/INSERT_AFTER go next
 *       to the first route named by {@code vhost.route.name}, or first/last without one;
 *       INSERT_FIRST puts the route first (when a route is named, only where it exists).
 * </ul>
 */
final class RouteConfigPatcher {

  ImmutableList<RouteConfiguration> apply(
      List<RouteConfiguration> configs, ParsedPatch patch, ProxyRole role, Hits hits)
      throws PatchException {
    Optional<RouteConfigurationMatch> match = patch.patch().routeConfiguration();
    ImmutableList.Builder<RouteConfiguration> out = ImmutableList.builder();
    for (RouteConfiguration config : configs) {
      if (!RouteConfigMatching.routeConfiguration(config, match, role)) {
        out.add(config);
        continue;
      }
      out.add(
          switch (patch.patch().applyTo()) {
            case ROUTE_CONFIGURATION -> {
              hits.hit();
              yield ProtoMerge.merge(config, patch.value(RouteConfiguration.class));
            }
            case VIRTUAL_HOST -> virtualHosts(config, patch, hits);
            case HTTP_ROUTE -> routesOfVirtualHosts(config, patch, hits);
            default -> throw new IllegalStateException(
                patch.patch().applyTo() + " reached the route config patcher");
          });
    }
    return out.build();
  }

  private static RouteConfiguration virtualHosts(
      RouteConfiguration config, ParsedPatch patch, Hits hits) {
    Optional<RouteConfigurationMatch> match = patch.patch().routeConfiguration();
    List<VirtualHost> hosts = config.getVirtualHostsList();
    List<VirtualHost> edited;
    if (patch.operation() == EnvoyFilter.Operation.ADD) {
      edited = ListEdits.append(hosts, patch.value(VirtualHost.class), hits);
    } else {
      edited = new ArrayList<>(hosts.size());
      for (VirtualHost host : hosts) {
        if (!RouteConfigMatching.virtualHost(host, match)) {
          edited.add(host);
          continue;
        }
        hits.hit();
        switch (patch.operation()) {
          case REMOVE -> {}
          case MERGE -> edited.add(ProtoMerge.merge(host, patch.value(VirtualHost.class)));
          case REPLACE -> edited.add(patch.value(VirtualHost.class));
          default -> throw new IllegalStateException(patch.operation() + " on VIRTUAL_HOST");
        }
      }
    }
    return config.toBuilder().clearVirtualHosts().addAllVirtualHosts(edited).build();
  }

  private static RouteConfiguration routesOfVirtualHosts(
      RouteConfiguration config, ParsedPatch patch, Hits hits) {
    Optional<RouteConfigurationMatch> match = patch.patch().routeConfiguration();
    RouteConfiguration.Builder out = config.toBuilder().clearVirtualHosts();
    for (VirtualHost host : config.getVirtualHostsList()) {
      if (!RouteConfigMatching.virtualHost(host, match)) {
        out.addVirtualHosts(host);
        continue;
      }
      List<Route> routes = routes(host.getRoutesList(), patch, hits);
      out.addVirtualHosts(host.toBuilder().clearRoutes().addAllRoutes(routes));
    }
    return out.build();
  }

  private static List<Route> routes(List<Route> routes, ParsedPatch patch, Hits hits) {
    Optional<RouteConfigurationMatch> match = patch.patch().routeConfiguration();
    Predicate<Route> selected = route -> RouteConfigMatching.route(route, match);
    Optional<Predicate<Route>> anchor = RouteConfigMatching.routeName(match).map(name -> selected);
    return switch (patch.operation()) {
      case MERGE -> {
        List<Route> merged = new ArrayList<>(routes.size());
        for (Route route : routes) {
          if (selected.test(route)) {
            merged.add(ProtoMerge.merge(route, patch.value(Route.class)));
            hits.hit();
          } else {
            merged.add(route);
          }
        }
        yield merged;
      }
      case REMOVE -> ListEdits.removeAll(routes, selected, hits);
      case INSERT_FIRST ->
          anchor.isPresent() && ListEdits.firstIndex(routes, anchor.get()) < 0
              ? routes
              : ListEdits.prepend(routes, patch.value(Route.class), hits);
      case ADD, INSERT_BEFORE, INSERT_AFTER ->
          ListEdits.edit(patch.operation(), routes, anchor, patch.value(Route.class), hits);
      case REPLACE -> throw new IllegalStateException("REPLACE on HTTP_ROUTE");
    };
  }
}
