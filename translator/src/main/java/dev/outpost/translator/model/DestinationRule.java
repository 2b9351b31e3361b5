package dev.outpost.translator.model;

import com.google.common.collect.ImmutableList;
import java.util.Objects;
import java.util.Optional;

/**
 * Istio {@code DestinationRule}: policies applied to traffic for {@code host} after routing.
 *
 * @param host the service host (FQDN, wildcard, or short name as written)
 * @param trafficPolicy the default policy for all ports and subsets
 * @param subsets named groups of endpoints (by labels), names unique
 * @param exportTo namespaces this rule is visible to (empty = all)
 * @param workloadSelector restricts the rule to some workloads (not supported yet)
 */
public record DestinationRule(
    ObjectMeta metadata,
    String host,
    Optional<TrafficPolicy> trafficPolicy,
    ImmutableList<Subset> subsets,
    ImmutableList<String> exportTo,
    Optional<WorkloadSelector> workloadSelector) {

  public DestinationRule {
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(trafficPolicy, "trafficPolicy");
    Objects.requireNonNull(subsets, "subsets");
    Objects.requireNonNull(exportTo, "exportTo");
    Objects.requireNonNull(workloadSelector, "workloadSelector");
  }
}
