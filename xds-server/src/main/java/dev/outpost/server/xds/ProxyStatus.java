package dev.outpost.server.xds;

import com.google.common.collect.ImmutableSortedMap;
import java.time.Instant;
import java.util.Optional;

/**
 * What {@code /debug/proxies} shows about one connected proxy.
 *
 * @param ackedVersions last version the proxy accepted, by short type name ({@code Cluster}, ...)
 * @param lastNack the last response the proxy rejected, if any
 */
public record ProxyStatus(
    String nodeId,
    GroupKey group,
    boolean delta,
    Instant connectedSince,
    ImmutableSortedMap<String, String> ackedVersions,
    Optional<Nack> lastNack) {

  /** A rejected response: its type, the version Envoy rejected, and Envoy's error message. */
  public record Nack(String type, String version, String message, Instant at) {}
}
