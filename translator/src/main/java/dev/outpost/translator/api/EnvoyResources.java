package dev.outpost.translator.api;

import com.google.common.collect.ImmutableList;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.util.Objects;

/**
 * Everything one proxy group receives, each list sorted by resource name so that the same input
 * always yields the same bytes.
 */
public record EnvoyResources(
    ImmutableList<Listener> listeners,
    ImmutableList<RouteConfiguration> routes,
    ImmutableList<Cluster> clusters,
    ImmutableList<ClusterLoadAssignment> endpoints,
    ImmutableList<Secret> secrets) {

  public static final EnvoyResources EMPTY =
      new EnvoyResources(ImmutableList.of(), ImmutableList.of(), ImmutableList.of(), ImmutableList.of(), ImmutableList.of());

  public EnvoyResources {
    Objects.requireNonNull(listeners, "listeners");
    Objects.requireNonNull(routes, "routes");
    Objects.requireNonNull(clusters, "clusters");
    Objects.requireNonNull(endpoints, "endpoints");
    Objects.requireNonNull(secrets, "secrets");
  }
}
