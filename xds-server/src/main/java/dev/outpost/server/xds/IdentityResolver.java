package dev.outpost.server.xds;

import dev.outpost.translator.api.ProxyIdentity;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.net.InetAddress;
import java.util.Optional;

/**
 * Who a connecting proxy is, decided once per stream from the node of its first request and the
 * address the stream comes from. In file mode the node metadata is all there is ({@link
 * #FROM_METADATA}); in Kubernetes mode the pod the node id names is the authority: the stream must
 * come from one of its IPs and the metadata must agree with it.
 */
@FunctionalInterface
public interface IdentityResolver {
  /**
   * Trusts the node metadata ({@link NodeIdentities}); refuses only metadata it cannot read. The
   * peer address is not looked at: in file mode there is nothing to compare it with.
   */
  IdentityResolver FROM_METADATA =
      (node, peer) -> {
        try {
          return NodeIdentities.fromNode(node);
        } catch (NodeIdentities.InvalidNodeException e) {
          throw new RefusedProxyException(io.grpc.Status.Code.INVALID_ARGUMENT, "invalid_metadata", e.getMessage());
        }
      };

  /**
   * @param peer the IP address the stream comes from ({@link PeerAddressInterceptor#current()});
   *     empty when the transport has none (in-process)
   */
  ProxyIdentity resolve(Node node, Optional<InetAddress> peer) throws RefusedProxyException;
}
