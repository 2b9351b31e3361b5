package dev.outpost.translator.patch;

import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;

/**
 * MERGE into a network or HTTP filter, as Istio does it: a name in the patch renames the filter;
 * the patch's {@code typed_config} is merged into the filter's config of the same type (unpacked,
 * merged, packed again), so that a patch can change one setting of, say, the connection manager
 * without restating the rest; any other field merges as a proto.
 */
final class FilterMerge {
  private static final String TYPED_CONFIG = "patch.value.typed_config";

  private FilterMerge() {}

  static Filter merge(Filter filter, Filter patch) throws PatchException {
    Filter.Builder out = filter.toBuilder();
    if (!patch.getName().isEmpty()) {
      out.setName(patch.getName());
    }
    if (patch.hasTypedConfig()) {
      out.setTypedConfig(
          filter.hasTypedConfig()
              ? ProtoMerge.mergeTyped(filter.getTypedConfig(), patch.getTypedConfig(), TYPED_CONFIG)
              : patch.getTypedConfig());
    }
    return ProtoMerge.merge(out.build(), patch.toBuilder().clearName().clearTypedConfig().build());
  }

  static HttpFilter merge(HttpFilter filter, HttpFilter patch) throws PatchException {
    HttpFilter.Builder out = filter.toBuilder();
    if (!patch.getName().isEmpty()) {
      out.setName(patch.getName());
    }
    if (patch.hasTypedConfig()) {
      out.setTypedConfig(
          filter.hasTypedConfig()
              ? ProtoMerge.mergeTyped(filter.getTypedConfig(), patch.getTypedConfig(), TYPED_CONFIG)
              : patch.getTypedConfig());
    }
    return ProtoMerge.merge(out.build(), patch.toBuilder().clearName().clearTypedConfig().build());
  }
}
