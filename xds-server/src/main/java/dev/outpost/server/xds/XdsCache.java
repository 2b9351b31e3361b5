package dev.outpost.server.xds;

import io.envoyproxy.controlplane.cache.SimpleCache;

/** java-control-plane's snapshot cache, keyed by {@link GroupKey}, holding {@link XdsSnapshot}s. */
public final class XdsCache extends SimpleCache<GroupKey, XdsSnapshot> {
  private final ResolvedGroups resolvedGroups;

  public XdsCache() {
    this(new ResolvedGroups());
  }

  private XdsCache(ResolvedGroups resolvedGroups) {
    super(new ProxyGroups(resolvedGroups));
    this.resolvedGroups = resolvedGroups;
  }

  /** Where {@link ProxyRegistry} records the group it resolved for each connected node. */
  public ResolvedGroups resolvedGroups() {
    return resolvedGroups;
  }
}
