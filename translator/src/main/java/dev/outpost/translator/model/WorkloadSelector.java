package dev.outpost.translator.model;

import com.google.common.collect.ImmutableSortedMap;

/** Selects workloads (pods or WorkloadEntries) by labels; an empty map selects all. */
public record WorkloadSelector(ImmutableSortedMap<String, String> matchLabels) {}
