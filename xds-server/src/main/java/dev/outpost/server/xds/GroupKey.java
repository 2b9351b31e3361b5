package dev.outpost.server.xds;

import com.google.common.collect.ImmutableSortedMap;
import dev.outpost.translator.api.ProxyIdentity;
import dev.outpost.translator.api.ProxyRole;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What decides a proxy's config: role, namespace, service account and labels. Proxies with equal
 * keys share one snapshot, so 500 replicas of one gateway cost one translation (DESIGN.md section
 * 4). The node id is deliberately not part of it.
 */
public record GroupKey(
    ProxyRole role, String namespace, String serviceAccount, ImmutableSortedMap<String, String> labels) {

  public GroupKey {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(serviceAccount, "serviceAccount");
    Objects.requireNonNull(labels, "labels");
  }

  public static GroupKey of(ProxyIdentity proxy) {
    return new GroupKey(proxy.role(), proxy.namespace(), proxy.serviceAccount(), proxy.labels());
  }

  /**
   * The identity the translator sees for this group. The node id is derived from the key, not from
   * whichever replica connected first, so that re-translation after a restart is byte-identical.
   */
  public ProxyIdentity identity() {
    return new ProxyIdentity("group:" + this, role, namespace, serviceAccount, labels);
  }

  /**
   * {@code gateway|istio-system|sa|app=x,istio=egressgateway}: stable, readable in logs and /debug.
   * The parts come from a proxy's node metadata, so control characters are escaped (one log line).
   */
  @Override
  public String toString() {
    String labelText =
        labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    return LogText.of(role.wireName() + "|" + namespace + "|" + serviceAccount + "|" + labelText);
  }
}
