package dev.outpost.translator.build;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.model.Gateway;
import dev.outpost.translator.model.Server;
import dev.outpost.translator.model.ServerTlsSettings;
import dev.outpost.translator.model.WorkloadEntry;

/**
 * Which destinations are Outpost egress gateways that expect mesh mTLS, so a client proxy speaks
 * ISTIO_MUTUAL to them without a DestinationRule saying so (Istio's auto mTLS, for the one kind of
 * in-mesh server Outpost serves). A destination qualifies when one of its endpoints carries the
 * labels of some Gateway's {@code selector} (it is that gateway's pod) and that Gateway has a
 * server with {@code tls.mode: ISTIO_MUTUAL} on the port the endpoint listens on. A plaintext or
 * passthrough server on that port gets what the application sent, unchanged.
 */
final class MeshGateways {
  static final MeshGateways NONE = new MeshGateways(ImmutableList.of());

  private final ImmutableList<Gateway> gateways;

  MeshGateways(ImmutableList<Gateway> gateways) {
    this.gateways = gateways;
  }

  boolean expectMeshTls(ClusterRef ref) {
    for (WorkloadEntry endpoint : ref.serviceEntry().endpoints()) {
      if (endpoint.labels().isEmpty()) {
        continue;
      }
      int endpointPort =
          endpoint
              .ports()
              .getOrDefault(
                  ref.port().name(), ref.port().targetPort().orElse(ref.port().number()));
      for (Gateway gateway : gateways) {
        if (!gateway.selector().isEmpty()
            && Labels.selects(gateway.selector(), endpoint.labels())
            && hasMeshServer(gateway, ref.port().number(), endpointPort)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The server port may be written as the Service port or as the pod's port (Istio accepts both
   * where a Service maps one to the other).
   */
  private static boolean hasMeshServer(Gateway gateway, int servicePort, int endpointPort) {
    for (Server server : gateway.servers()) {
      int number = server.port().number();
      if ((number == servicePort || number == endpointPort)
          && server.tls().map(t -> t.mode() == ServerTlsSettings.Mode.ISTIO_MUTUAL).orElse(false)) {
        return true;
      }
    }
    return false;
  }

}
