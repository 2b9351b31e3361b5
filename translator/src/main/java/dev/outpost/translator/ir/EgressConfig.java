package dev.outpost.translator.ir;

import com.google.common.collect.ImmutableList;
import java.util.Objects;

/**
 * What one egress gateway does, independent of Envoy's protos: the ports it listens on, the
 * upstream clusters its routes reach, and the authorization its chains enforce. Built by {@code
 * build}, turned into protos by {@code emit}.
 */
public record EgressConfig(
    ImmutableList<GatewayPort> ports,
    ImmutableList<UpstreamCluster> clusters,
    Authorization authorization) {
  public static final EgressConfig EMPTY =
      new EgressConfig(ImmutableList.of(), ImmutableList.of(), Authorization.NONE);

  public EgressConfig {
    Objects.requireNonNull(ports, "ports");
    Objects.requireNonNull(clusters, "clusters");
    Objects.requireNonNull(authorization, "authorization");
  }

  /** A config without authorization (client proxies; tests). */
  public EgressConfig(ImmutableList<GatewayPort> ports, ImmutableList<UpstreamCluster> clusters) {
    this(ports, clusters, Authorization.NONE);
  }
}
