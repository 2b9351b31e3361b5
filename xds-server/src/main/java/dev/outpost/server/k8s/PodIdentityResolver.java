package dev.outpost.server.k8s;

import com.google.common.collect.ImmutableSortedMap;
import dev.outpost.k8s.PodIdentity;
import dev.outpost.server.xds.IdentityResolver;
import dev.outpost.server.xds.NodeIdentities;
import dev.outpost.server.xds.RefusedProxyException;
import dev.outpost.translator.api.ProxyIdentity;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.grpc.Status;
import java.net.InetAddress;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Kubernetes mode (DESIGN.md §4): a proxy is who its pod is. The node id {@code POD_NAME.NAMESPACE}
 * names the pod; namespace, service account and labels come from the API server. Node metadata is
 * a claim that must agree with the pod: a field that is given and differs refuses the stream; a
 * field that is absent is filled from the pod. {@code ROLE} is not a pod property and still comes
 * from the metadata.
 *
 * <p>The node id is a claim too, chosen by the client. With {@link PeerAddressCheck#ENFORCE} the
 * stream must come from one of the pod's IPs, so a client can speak only for the pod it runs in
 * (or one whose address it can send from). That is checked before the metadata, so that a client
 * claiming someone else's pod learns nothing about it from the refusal; the pod's IPs go to the
 * log only. It binds the connection to a network address, not to a credential: see README,
 * "Security".
 *
 * <p>Labels: every label the metadata names must be on the pod with that value, but the pod may
 * carry more. A bootstrap is written once for a Deployment and cannot know labels added per pod
 * ({@code pod-template-hash}, {@code controller-revision-hash}); the identity used is always the
 * pod's full label set, so a subset in the metadata grants nothing the pod does not have.
 *
 * <p>A pod not in the informer cache is refused with {@code UNAVAILABLE}, never waited for: the
 * pod object exists before its containers start, so the informer normally has it long before Envoy
 * connects, and when it does not (control plane just started and not synced, informer lagging, pod
 * outside the watched namespaces) Envoy retries the ADS stream with backoff on its own. Waiting on
 * the gRPC thread would let any client with made-up node ids hold server threads.
 */
public final class PodIdentityResolver implements IdentityResolver {
  private final Function<String, Optional<PodIdentity>> pods;
  private final BooleanSupplier synced;
  private final PeerAddressCheck peerCheck;

  /**
   * @param pods node id → pod, e.g. {@code KubernetesWatcher::lookup}
   * @param synced whether the pod cache has listed once, e.g. {@code KubernetesWatcher::isSynced}
   * @param peerCheck whether the stream must come from one of the pod's IPs
   */
  public PodIdentityResolver(
      Function<String, Optional<PodIdentity>> pods, BooleanSupplier synced, PeerAddressCheck peerCheck) {
    this.pods = Objects.requireNonNull(pods, "pods");
    this.synced = Objects.requireNonNull(synced, "synced");
    this.peerCheck = Objects.requireNonNull(peerCheck, "peerCheck");
  }

  @Override
  public ProxyIdentity resolve(Node node, Optional<InetAddress> peer) throws RefusedProxyException {
    ProxyIdentity claimed = IdentityResolver.FROM_METADATA.resolve(node, peer);
    String nodeId = claimed.nodeId();
    if (!synced.getAsBoolean()) {
      throw new RefusedProxyException(
          Status.Code.UNAVAILABLE,
          "not_synced",
          "proxy " + nodeId + ": the control plane has not finished reading pods from the API server yet;"
              + " Envoy retries the stream on its own");
    }
    Optional<PodIdentity> found = pods.apply(nodeId);
    if (found.isEmpty()) {
      throw new RefusedProxyException(
          Status.Code.UNAVAILABLE,
          "unknown_pod",
          "proxy " + nodeId + ": no pod named by its node id (POD_NAME.NAMESPACE) is known to the control plane."
              + " Set node.id from the downward API (metadata.name + \".\" + metadata.namespace) and make sure the"
              + " pod's namespace is watched (--watch-namespaces / --secret-namespaces); Envoy retries the stream");
    }
    PodIdentity pod = found.get();
    if (peerCheck == PeerAddressCheck.ENFORCE) {
      requireFromPod(nodeId, pod, peer);
    }
    Map<String, com.google.protobuf.Value> metadata = node.getMetadata().getFieldsMap();
    requireEqual(nodeId, NodeIdentities.NAMESPACE, "namespace_mismatch", claimed.namespace(), pod.namespace());
    requireEqual(
        nodeId, NodeIdentities.SERVICE_ACCOUNT, "service_account_mismatch", claimed.serviceAccount(), pod.serviceAccount());
    if (metadata.containsKey(NodeIdentities.LABELS)) {
      for (Map.Entry<String, String> label : claimed.labels().entrySet()) {
        String podValue = pod.labels().get(label.getKey());
        if (!label.getValue().equals(podValue)) {
          throw mismatch(
              nodeId,
              NodeIdentities.LABELS + "." + label.getKey(),
              "labels_mismatch",
              label.getValue(),
              podValue == null ? "(no such label)" : podValue);
        }
      }
    }
    return new ProxyIdentity(
        nodeId, claimed.role(), pod.namespace(), pod.serviceAccount(), ImmutableSortedMap.copyOf(pod.labels()));
  }

  /** The stream must come from one of the pod's IPs. */
  private static void requireFromPod(String nodeId, PodIdentity pod, Optional<InetAddress> peer)
      throws RefusedProxyException {
    if (peer.isEmpty()) {
      // Only a transport without IP peers (in-process) gets here; nothing to compare, so no trust.
      throw new RefusedProxyException(
          Status.Code.PERMISSION_DENIED,
          "peer_address_unknown",
          "proxy " + nodeId + ": the connection has no IP address to check against pod " + nodeId
              + "'s; connect over TCP, or run the control plane with --peer-address-check=off");
    }
    String from = PodIdentity.canonical(peer.get());
    if (pod.addresses().isEmpty()) {
      // Normal for a moment: the kubelet reports the pod's IP about when its containers start. (A
      // finished pod has none either; its proxy is gone, so this is only ever someone else.)
      throw new RefusedProxyException(
          Status.Code.UNAVAILABLE,
          "pod_without_address",
          "proxy " + nodeId + ": pod " + nodeId + " has no IP address in the API server (yet), so the connection"
              + " from " + from + " cannot be checked against it; Envoy retries the stream");
    }
    if (!pod.hasAddress(peer.get())) {
      throw new RefusedProxyException(
          Status.Code.PERMISSION_DENIED,
          "peer_address_mismatch",
          "proxy " + nodeId + ": the connection comes from " + from + ", which is not an IP address of pod " + nodeId
              + "; a proxy may only speak for the pod it runs in. If something between the proxies and the control"
              + " plane rewrites source addresses (a sidecar in front of it, SNAT), run it with"
              + " --peer-address-check=off",
          "pod " + nodeId + " has " + String.join(", ", pod.addresses()));
    }
  }

  /** Absent (or empty) metadata is filled from the pod; anything else must equal it. */
  private static void requireEqual(String nodeId, String field, String reason, String claimed, String actual)
      throws RefusedProxyException {
    if (!claimed.isEmpty() && !claimed.equals(actual)) {
      throw mismatch(nodeId, field, reason, claimed, actual);
    }
  }

  private static RefusedProxyException mismatch(
      String nodeId, String field, String reason, String claimed, String actual) {
    return new RefusedProxyException(
        Status.Code.PERMISSION_DENIED,
        reason,
        "proxy " + nodeId + ": node metadata " + field + " is \"" + claimed + "\" but pod " + nodeId
            + " has \"" + actual + "\"; the pod in the API server is the authority: fix the bootstrap's metadata"
            + " (or leave the field out to take the pod's)");
  }
}
