package dev.outpost.server.xds;

import dev.outpost.translator.api.ProxyIdentity;
import io.envoyproxy.envoy.config.core.v3.Node;

/**
 * Who a connecting proxy is, decided once per stream from the node of its first request. In file
 * mode the node metadata is all there is ({@link #FROM_METADATA}); in Kubernetes mode the pod the
 * node id names is the authority and the metadata must agree with it.
 */
@FunctionalInterface
public interface IdentityResolver {
  /** Trusts the node metadata ({@link NodeIdentities}); refuses only metadata it cannot read. */
  IdentityResolver FROM_METADATA =
      node -> {
        try {
          return NodeIdentities.fromNode(node);
        } catch (NodeIdentities.InvalidNodeException e) {
          throw new RefusedProxyException(io.grpc.Status.Code.INVALID_ARGUMENT, "invalid_metadata", e.getMessage());
        }
      };

  ProxyIdentity resolve(Node node) throws RefusedProxyException;
}
