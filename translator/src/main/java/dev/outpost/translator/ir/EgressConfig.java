package dev.outpost.translator.ir;

import com.google.common.collect.ImmutableList;

/**
 * What one egress gateway does, independent of Envoy's protos: the ports it listens on and the
 * upstream clusters its routes reach. Built by {@code build}, turned into protos by {@code emit}.
 */
public record EgressConfig(ImmutableList<GatewayPort> ports, ImmutableList<UpstreamCluster> clusters) {
  public static final EgressConfig EMPTY = new EgressConfig(ImmutableList.of(), ImmutableList.of());

  public EgressConfig {
    java.util.Objects.requireNonNull(ports, "ports");
    java.util.Objects.requireNonNull(clusters, "clusters");
  }
}
