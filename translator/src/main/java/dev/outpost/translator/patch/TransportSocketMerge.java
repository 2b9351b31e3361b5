package dev.outpost.translator.patch;

import io.envoyproxy.envoy.config.core.v3.TransportSocket;

/**
 * MERGE of a {@code transport_socket} in a filter chain or cluster patch, as Istio does it: when the
 * patch names the transport socket that is already there, the two TLS contexts are merged (a plain
 * proto merge would replace the packed context whole); otherwise the patch's socket replaces it.
 */
final class TransportSocketMerge {
  private TransportSocketMerge() {}

  static TransportSocket merge(TransportSocket existing, TransportSocket patch, String field)
      throws PatchException {
    if (!existing.getName().equals(patch.getName())
        || !existing.hasTypedConfig()
        || !patch.hasTypedConfig()) {
      return patch;
    }
    return existing.toBuilder()
        .setTypedConfig(
            ProtoMerge.mergeTyped(
                existing.getTypedConfig(), patch.getTypedConfig(), field + ".typed_config"))
        .build();
  }
}
