package dev.outpost.server.xds;

import io.envoyproxy.controlplane.cache.SimpleCache;

/** java-control-plane's snapshot cache, keyed by {@link GroupKey}, holding {@link XdsSnapshot}s. */
public final class XdsCache extends SimpleCache<GroupKey, XdsSnapshot> {
  public XdsCache() {
    super(new ProxyGroups());
  }
}
