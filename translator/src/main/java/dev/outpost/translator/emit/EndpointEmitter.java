package dev.outpost.translator.emit;

import com.google.protobuf.UInt32Value;
import dev.outpost.translator.ir.Endpoint;
import dev.outpost.translator.ir.UpstreamCluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A cluster's endpoints → a ClusterLoadAssignment named like the cluster: served over EDS for EDS
 * clusters, embedded as {@code load_assignment} for DNS clusters. Endpoints are grouped by
 * locality, in sorted order so that output is stable.
 */
public final class EndpointEmitter {

  public ClusterLoadAssignment emit(UpstreamCluster cluster) {
    Map<String, List<Endpoint>> byLocality = new TreeMap<>();
    for (Endpoint endpoint : cluster.endpoints()) {
      byLocality.computeIfAbsent(endpoint.locality(), k -> new ArrayList<>()).add(endpoint);
    }
    ClusterLoadAssignment.Builder out =
        ClusterLoadAssignment.newBuilder().setClusterName(cluster.name());
    for (Map.Entry<String, List<Endpoint>> group : byLocality.entrySet()) {
      LocalityLbEndpoints.Builder locality = LocalityLbEndpoints.newBuilder();
      if (!group.getKey().isEmpty()) {
        locality.setLocality(locality(group.getKey()));
      }
      for (Endpoint endpoint : group.getValue()) {
        LbEndpoint.Builder lb =
            LbEndpoint.newBuilder()
                .setEndpoint(
                    io.envoyproxy.envoy.config.endpoint.v3.Endpoint.newBuilder()
                        .setAddress(
                            Address.newBuilder()
                                .setSocketAddress(
                                    SocketAddress.newBuilder()
                                        .setAddress(endpoint.address())
                                        .setPortValue(endpoint.port()))));
        if (endpoint.weight() > 0) {
          lb.setLoadBalancingWeight(UInt32Value.of(endpoint.weight()));
        }
        locality.addLbEndpoints(lb);
      }
      out.addEndpoints(locality);
    }
    return out.build();
  }

  /** Istio's locality label is {@code region/zone/subzone}. */
  private static Locality locality(String value) {
    String[] parts = value.split("/", 3);
    Locality.Builder out = Locality.newBuilder().setRegion(parts[0]);
    if (parts.length > 1) {
      out.setZone(parts[1]);
    }
    if (parts.length > 2) {
      out.setSubZone(parts[2]);
    }
    return out.build();
  }
}
