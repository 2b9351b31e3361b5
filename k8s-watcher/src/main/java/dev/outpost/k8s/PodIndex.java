package dev.outpost.k8s;

import com.google.common.collect.ImmutableSet;
import com.google.common.collect.ImmutableSortedMap;
import com.google.common.net.InetAddresses;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Looks up a connecting proxy's pod by node id ({@code POD_NAME.NAMESPACE}) in the pod informers'
 * caches. A namespace cannot contain a dot while a pod name can, so the id splits at its last dot.
 */
final class PodIndex {
  /**
   * What the pod informers keep of each pod besides name and namespace (the key). The IPs bind a
   * connection to its pod: the server accepts a node id only from one of its pod's addresses.
   */
  static final String[] STORED_FIELDS = {
    "metadata.labels",
    "metadata.uid",
    "metadata.resourceVersion",
    "spec.serviceAccountName",
    "status.phase",
    "status.podIP",
    "status.podIPs"
  };

  private final List<SharedIndexInformer<Pod>> informers;

  PodIndex(List<SharedIndexInformer<Pod>> informers) {
    this.informers = List.copyOf(informers);
  }

  Optional<PodIdentity> lookup(String nodeId) {
    int dot = nodeId.lastIndexOf('.');
    if (dot <= 0 || dot == nodeId.length() - 1) {
      return Optional.empty();
    }
    return pod(nodeId.substring(dot + 1) + "/" + nodeId.substring(0, dot)).map(PodIndex::identityOf);
  }

  /** The cached (reduced) pod with key {@code NAMESPACE/NAME}. */
  Optional<Pod> pod(String key) {
    for (SharedIndexInformer<Pod> informer : informers) {
      Pod pod = informer.getStore().getByKey(key);
      if (pod != null) {
        return Optional.of(pod);
      }
    }
    return Optional.empty();
  }

  static PodIdentity identityOf(Pod pod) {
    String serviceAccount =
        pod.getSpec() == null || pod.getSpec().getServiceAccountName() == null
            ? "default" // what the API server assigns when a pod names none
            : pod.getSpec().getServiceAccountName();
    var labels = pod.getMetadata().getLabels();
    return new PodIdentity(
        pod.getMetadata().getName(),
        pod.getMetadata().getNamespace(),
        serviceAccount,
        labels == null ? ImmutableSortedMap.of() : ImmutableSortedMap.copyOf(labels),
        pod.getMetadata().getUid() == null ? "" : pod.getMetadata().getUid(),
        addressesOf(pod.getStatus()));
  }

  /**
   * {@code status.podIPs[*].ip} (one per address family on a dual-stack cluster), else the older
   * {@code status.podIP}; none before the pod has started, and none once it has finished: a
   * Succeeded or Failed pod keeps its IPs in its status, but they are released and may belong to
   * another pod by now. The API server only stores IP literals; anything else is ignored rather
   * than failing the lookup.
   */
  static ImmutableSet<String> addressesOf(PodStatus status) {
    if (status == null || "Succeeded".equals(status.getPhase()) || "Failed".equals(status.getPhase())) {
      return ImmutableSet.of();
    }
    List<String> ips =
        status.getPodIPs() == null || status.getPodIPs().isEmpty()
            ? (status.getPodIP() == null ? List.of() : List.of(status.getPodIP()))
            : status.getPodIPs().stream().map(PodIP::getIp).filter(Objects::nonNull).toList();
    return ips.stream().filter(InetAddresses::isInetAddress).collect(ImmutableSet.toImmutableSet());
  }
}
