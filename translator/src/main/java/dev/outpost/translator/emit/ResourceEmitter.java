package dev.outpost.translator.emit;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.api.EnvoyResources;
import dev.outpost.translator.ir.EgressConfig;
import dev.outpost.translator.ir.FilterChainPlan;
import dev.outpost.translator.ir.GatewayPort;
import dev.outpost.translator.ir.SdsSecret;
import dev.outpost.translator.ir.UpstreamCluster;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Turns a whole {@link EgressConfig} into Envoy resources, each list sorted by name. The black hole
 * cluster is always present, as in Istio.
 */
public final class ResourceEmitter {
  private final ListenerEmitter listeners = new ListenerEmitter(new AccessLogEmitter());
  private final RouteConfigEmitter routes =
      new RouteConfigEmitter(new RouteMatchEmitter(), new RouteActionEmitter());
  private final EndpointEmitter endpoints = new EndpointEmitter();
  private final ClusterEmitter clusters = new ClusterEmitter(endpoints);
  private final SecretEmitter secrets = new SecretEmitter();

  public EnvoyResources emit(EgressConfig config) {
    ImmutableList.Builder<Listener> listenerList = ImmutableList.builder();
    ImmutableList.Builder<RouteConfiguration> routeList = ImmutableList.builder();
    for (GatewayPort port : config.ports()) {
      listenerList.add(listeners.emit(port, config.authorization()));
      for (FilterChainPlan.Http chain : port.httpChains()) {
        routeList.add(routes.emit(chain));
      }
    }
    ImmutableList.Builder<Cluster> clusterList = ImmutableList.builder();
    ImmutableList.Builder<ClusterLoadAssignment> endpointList = ImmutableList.builder();
    boolean blackHolePresent = false;
    for (UpstreamCluster cluster : config.clusters()) {
      blackHolePresent |= cluster.name().equals(UpstreamCluster.BLACK_HOLE);
      clusterList.add(clusters.emit(cluster));
      if (cluster.discovery() == UpstreamCluster.Discovery.EDS) {
        endpointList.add(endpoints.emit(cluster));
      }
    }
    // Exactly the secrets the emitted config references (DESIGN.md section 4), one line per part.
    List<SdsSecret> referencedSecrets = new ArrayList<>();
    config.ports().forEach(p -> referencedSecrets.addAll(p.secrets()));
    config.clusters().forEach(c -> c.tls().ifPresent(t -> referencedSecrets.addAll(t.secrets())));
    if (!blackHolePresent) {
      clusterList.add(clusters.emit(UpstreamCluster.blackHole()));
    }
    return new EnvoyResources(
        sorted(listenerList.build(), Comparator.comparing(Listener::getName)),
        sorted(routeList.build(), Comparator.comparing(RouteConfiguration::getName)),
        sorted(clusterList.build(), Comparator.comparing(Cluster::getName)),
        sorted(endpointList.build(), Comparator.comparing(ClusterLoadAssignment::getClusterName)),
        secrets.emit(referencedSecrets));
  }

  private static <T> ImmutableList<T> sorted(ImmutableList<T> items, Comparator<T> order) {
    return ImmutableList.sortedCopyOf(order, items);
  }
}
