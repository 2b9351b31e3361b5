package dev.outpost.it.ads;

import com.google.common.collect.ImmutableList;
import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import dev.outpost.translator.api.EnvoyResources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import java.util.List;

/**
 * Hand-built gateway resources, shaped like the translator's output for the plaintext HTTP egress
 * path (listener {@code 0.0.0.0_80}, RDS {@code http.80}, EDS clusters {@code outbound|80||HOST}),
 * so the ADS tests do not depend on the translator.
 */
final class Fixtures {
  static final String ROUTE_NAME = "http.80";
  static final String LISTENER_NAME = "0.0.0.0_80";

  private Fixtures() {}

  static String clusterName(String host) {
    return "outbound|80||" + host;
  }

  /** A gateway on port 80 routing each host to its own EDS cluster; the timeout varies content. */
  static EnvoyResources egress(List<String> hosts, int timeoutSeconds) {
    ConfigSource ads =
        ConfigSource.newBuilder()
            .setAds(AggregatedConfigSource.getDefaultInstance())
            .setResourceApiVersion(ApiVersion.V3)
            .build();
    HttpConnectionManager hcm =
        HttpConnectionManager.newBuilder()
            .setStatPrefix("outbound_0.0.0.0_80")
            .setRds(Rds.newBuilder().setRouteConfigName(ROUTE_NAME).setConfigSource(ads))
            .addHttpFilters(
                HttpFilter.newBuilder()
                    .setName("envoy.filters.http.router")
                    .setTypedConfig(Any.pack(Router.getDefaultInstance())))
            .build();
    Listener listener =
        Listener.newBuilder()
            .setName(LISTENER_NAME)
            .setAddress(address("0.0.0.0", 80))
            .addFilterChains(
                FilterChain.newBuilder()
                    .addFilters(
                        Filter.newBuilder()
                            .setName("envoy.filters.network.http_connection_manager")
                            .setTypedConfig(Any.pack(hcm))))
            .build();
    RouteConfiguration.Builder route = RouteConfiguration.newBuilder().setName(ROUTE_NAME);
    ImmutableList.Builder<Cluster> clusters = ImmutableList.builder();
    ImmutableList.Builder<ClusterLoadAssignment> endpoints = ImmutableList.builder();
    for (String host : hosts.stream().sorted().toList()) {
      String cluster = clusterName(host);
      route.addVirtualHosts(
          VirtualHost.newBuilder()
              .setName(host + ":80")
              .addDomains(host)
              .addRoutes(
                  Route.newBuilder()
                      .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                      .setRoute(
                          RouteAction.newBuilder()
                              .setCluster(cluster)
                              .setTimeout(Duration.newBuilder().setSeconds(timeoutSeconds)))));
      clusters.add(
          Cluster.newBuilder()
              .setName(cluster)
              .setType(Cluster.DiscoveryType.EDS)
              .setConnectTimeout(Duration.newBuilder().setSeconds(5))
              .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(ads).setServiceName(cluster))
              .build());
      endpoints.add(
          ClusterLoadAssignment.newBuilder()
              .setClusterName(cluster)
              .addEndpoints(
                  LocalityLbEndpoints.newBuilder()
                      .addLbEndpoints(
                          LbEndpoint.newBuilder()
                              .setEndpoint(Endpoint.newBuilder().setAddress(address("203.0.113.10", 80)))))
              .build());
    }
    return new EnvoyResources(
        ImmutableList.of(listener), ImmutableList.of(route.build()), clusters.build(), endpoints.build(), ImmutableList.of());
  }

  private static Address address(String ip, int port) {
    return Address.newBuilder()
        .setSocketAddress(SocketAddress.newBuilder().setAddress(ip).setPortValue(port))
        .build();
  }
}
