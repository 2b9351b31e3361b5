package dev.outpost.translator.model;

import com.google.common.collect.ImmutableList;
import java.util.Objects;
import java.util.Optional;

/**
 * An Istio {@code Sidecar} (networking.istio.io): which hosts the client proxies of a namespace
 * (or of the workloads its selector picks) can reach, and what they do with the rest.
 *
 * @param workloadSelector {@code spec.workloadSelector}; empty: every proxy of the namespace
 * @param egress {@code spec.egress}; empty: Istio's default, every host visible to the namespace
 * @param outboundTrafficMode {@code spec.outboundTrafficPolicy.mode}; empty: the mesh config's
 */
public record Sidecar(
    ObjectMeta metadata,
    Optional<WorkloadSelector> workloadSelector,
    ImmutableList<SidecarEgress> egress,
    Optional<OutboundTrafficMode> outboundTrafficMode) {

  public Sidecar {
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(workloadSelector, "workloadSelector");
    Objects.requireNonNull(egress, "egress");
    Objects.requireNonNull(outboundTrafficMode, "outboundTrafficMode");
  }
}
