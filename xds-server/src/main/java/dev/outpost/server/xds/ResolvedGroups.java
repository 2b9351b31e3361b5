package dev.outpost.server.xds;

import io.envoyproxy.envoy.config.core.v3.Node;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The group each connected node was resolved to, shared by {@link ProxyRegistry} (which resolves a
 * stream's identity once, on its first request) and {@link ProxyGroups} (which java-control-plane
 * asks for the group of every watch). Without it the cache would group by the node's metadata
 * while the registry grouped by the identity it resolved; in Kubernetes mode, where the pod and not
 * the metadata decides, the watches would wait on a group that never gets a snapshot.
 *
 * <p>Keyed by the node message (the first node of the stream: {@link StreamFixingAdsService} puts
 * it into every later request); an entry lives as long as a stream with that node is open. If a
 * node reconnects after its pod changed (same name, new labels), the newest resolution wins.
 */
public final class ResolvedGroups {
  private record Entry(GroupKey group, int streams) {}

  private final Map<Node, Entry> byNode = new ConcurrentHashMap<>();

  void opened(Node node, GroupKey group) {
    byNode.merge(node, new Entry(group, 1), (old, fresh) -> new Entry(group, old.streams() + 1));
  }

  void closed(Node node) {
    byNode.computeIfPresent(node, (n, e) -> e.streams() > 1 ? new Entry(e.group(), e.streams() - 1) : null);
  }

  Optional<GroupKey> groupOf(Node node) {
    Entry entry = byNode.get(node);
    return entry == null ? Optional.empty() : Optional.of(entry.group());
  }
}
