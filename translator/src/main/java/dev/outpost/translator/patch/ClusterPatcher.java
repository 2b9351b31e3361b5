package dev.outpost.translator.patch;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.model.EnvoyFilter.ClusterMatch;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import java.util.List;
import java.util.Optional;

/**
 * applyTo CLUSTER, as Istio applies it: ADD appends the value as a new cluster (no match needed);
 * MERGE (a {@code transport_socket} of the same name merges its TLS context) and REMOVE act on the
 * clusters {@code match.cluster} selects: by {@code name} alone when it is given, else by the parts
 * of {@code outbound|PORT|SUBSET|HOST} ({@code portNumber}, {@code subset}, {@code service} = the
 * host).
 */
final class ClusterPatcher {

  /** Istio's cluster name parts; zero and empty strings for a name of another shape. */
  record ClusterKey(int port, String subset, String host) {
    static ClusterKey parse(String name) {
      String[] parts = name.split("\\|", -1);
      if (parts.length != 4) {
        return new ClusterKey(0, "", "");
      }
      int port;
      try {
        port = Integer.parseInt(parts[1]);
      } catch (NumberFormatException e) {
        port = 0;
      }
      return new ClusterKey(port, parts[2], parts[3]);
    }
  }

  ImmutableList<Cluster> apply(List<Cluster> clusters, ParsedPatch patch, Hits hits)
      throws PatchException {
    Optional<ClusterMatch> match = patch.patch().cluster();
    return switch (patch.operation()) {
      case ADD -> ImmutableList.copyOf(ListEdits.append(clusters, patch.value(Cluster.class), hits));
      case REMOVE -> ImmutableList.copyOf(ListEdits.removeAll(clusters, c -> matches(c, match), hits));
      case MERGE -> {
        ImmutableList.Builder<Cluster> out = ImmutableList.builder();
        for (Cluster cluster : clusters) {
          if (matches(cluster, match)) {
            hits.hit();
            out.add(merge(cluster, patch.value(Cluster.class)));
          } else {
            out.add(cluster);
          }
        }
        yield out.build();
      }
      default -> throw new IllegalStateException(patch.operation() + " on CLUSTER");
    };
  }

  static boolean matches(Cluster cluster, Optional<ClusterMatch> match) {
    if (match.isEmpty()) {
      return true;
    }
    ClusterMatch m = match.get();
    if (m.name().isPresent()) {
      return m.name().get().equals(cluster.getName());
    }
    ClusterKey key = ClusterKey.parse(cluster.getName());
    return (m.portNumber().isEmpty() || m.portNumber().getAsInt() == key.port())
        && (m.subset().isEmpty() || m.subset().get().equals(key.subset()))
        && (m.service().isEmpty() || m.service().get().equals(key.host()));
  }

  private static Cluster merge(Cluster cluster, Cluster patch) throws PatchException {
    if (!patch.hasTransportSocket() || !cluster.hasTransportSocket()) {
      return ProtoMerge.merge(cluster, patch);
    }
    Cluster merged = ProtoMerge.merge(cluster, patch.toBuilder().clearTransportSocket().build());
    return merged.toBuilder()
        .setTransportSocket(
            TransportSocketMerge.merge(
                cluster.getTransportSocket(),
                patch.getTransportSocket(),
                "patch.value.transport_socket"))
        .build();
  }
}
