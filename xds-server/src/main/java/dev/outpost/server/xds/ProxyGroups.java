package dev.outpost.server.xds;

import dev.outpost.translator.api.ProxyIdentity;
import dev.outpost.translator.api.ProxyRole;
import io.envoyproxy.controlplane.cache.NodeGroup;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.util.Optional;

/**
 * java-control-plane's node grouping: the cache keys snapshots by {@link GroupKey}. Streams whose
 * node metadata is invalid are refused by {@link ProxyRegistry} before a watch is created, so the
 * fallback here only covers nodes that never reach the cache.
 */
public final class ProxyGroups implements NodeGroup<GroupKey> {
  private final ResolvedGroups resolved;

  public ProxyGroups(ResolvedGroups resolved) {
    this.resolved = resolved;
  }

  /** The group {@link ProxyRegistry} resolved for this node; the metadata's only if it resolved none. */
  @Override
  public GroupKey hash(Node node) {
    Optional<GroupKey> group = resolved.groupOf(node);
    if (group.isPresent()) {
      return group.get();
    }
    try {
      return GroupKey.of(NodeIdentities.fromNode(node));
    } catch (NodeIdentities.InvalidNodeException e) {
      return GroupKey.of(ProxyIdentity.of(node.getId(), ProxyRole.GATEWAY, "", "", java.util.Map.of()));
    }
  }
}
