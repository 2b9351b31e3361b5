package dev.outpost.translator.emit;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.extensions.clusters.dynamic_forward_proxy.v3.ClusterConfig;
import io.envoyproxy.envoy.extensions.common.dynamic_forward_proxy.v3.DnsCacheConfig;
import io.envoyproxy.envoy.extensions.filters.http.dynamic_forward_proxy.v3.FilterConfig;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;

/**
 * Envoy's dynamic forward proxy, the pair that carries ALLOW_ANY on a client proxy: the cluster
 * {@code PassthroughCluster} connects to whatever host the request names, and the HTTP filter
 * resolves that host first. Both must name the same DNS cache with the same settings, or Envoy
 * rejects the second one, so the cache is defined here once.
 */
final class ForwardProxyEmitter {
  static final String CLUSTER_TYPE = "envoy.clusters.dynamic_forward_proxy";
  static final String FILTER = "envoy.filters.http.dynamic_forward_proxy";
  static final String DNS_CACHE = "outpost_passthrough";

  static DnsCacheConfig dnsCache() {
    return DnsCacheConfig.newBuilder()
        .setName(DNS_CACHE)
        // Most external services have no IPv6 address, as for the DNS clusters.
        .setDnsLookupFamily(Cluster.DnsLookupFamily.V4_PREFERRED)
        .build();
  }

  static Cluster.CustomClusterType clusterType() {
    return Cluster.CustomClusterType.newBuilder()
        .setName(CLUSTER_TYPE)
        .setTypedConfig(Any.pack(ClusterConfig.newBuilder().setDnsCacheConfig(dnsCache()).build()))
        .build();
  }

  static HttpFilter filter() {
    return HttpFilter.newBuilder()
        .setName(FILTER)
        .setTypedConfig(Any.pack(FilterConfig.newBuilder().setDnsCacheConfig(dnsCache()).build()))
        .build();
  }

  private ForwardProxyEmitter() {}
}
