package dev.outpost.translator.emit;

import com.google.protobuf.Any;
import dev.outpost.translator.ir.FilterChainPlan;
import dev.outpost.translator.ir.WeightedDestination;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;

/**
 * A TCP proxy chain's forwarding → the {@code envoy.filters.network.tcp_proxy} network filter: one
 * cluster, or a per-connection weighted split, with the same JSON access log as HTTP chains so that
 * a connection shows up in the gateway log with its {@code upstream_cluster} and {@code
 * requested_server_name}, as in Istio.
 */
public final class TcpProxyEmitter {
  public static final String TCP_PROXY_FILTER = "envoy.filters.network.tcp_proxy";

  private final AccessLogEmitter accessLogs;

  public TcpProxyEmitter(AccessLogEmitter accessLogs) {
    this.accessLogs = accessLogs;
  }

  public Filter emit(FilterChainPlan.TcpProxy chain) {
    TcpProxy.Builder proxy = TcpProxy.newBuilder().addAccessLog(accessLogs.stdoutJson());
    if (chain.destinations().size() == 1) {
      String cluster = chain.destinations().get(0).cluster();
      // Istio names the stats after the cluster, so tcp.outbound|443||host.* reads as in its
      // guides.
      proxy.setStatPrefix(cluster).setCluster(cluster);
    } else {
      TcpProxy.WeightedCluster.Builder weighted = TcpProxy.WeightedCluster.newBuilder();
      for (WeightedDestination d : chain.destinations()) {
        weighted.addClusters(
            TcpProxy.WeightedCluster.ClusterWeight.newBuilder()
                .setName(d.cluster())
                .setWeight(d.weight()));
      }
      proxy.setStatPrefix(chain.destinations().get(0).cluster()).setWeightedClusters(weighted);
    }
    return Filter.newBuilder()
        .setName(TCP_PROXY_FILTER)
        .setTypedConfig(Any.pack(proxy.build()))
        .build();
  }
}
