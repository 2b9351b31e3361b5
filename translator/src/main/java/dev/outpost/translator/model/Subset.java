package dev.outpost.translator.model;

import com.google.common.collect.ImmutableSortedMap;
import java.util.Optional;

/**
 * {@code spec.subsets[]} of a DestinationRule.
 *
 * @param labels endpoint labels that select the subset's endpoints
 * @param trafficPolicy overrides the rule's policy field by field
 */
public record Subset(
    String name,
    ImmutableSortedMap<String, String> labels,
    Optional<TrafficPolicy> trafficPolicy) {}
