package dev.outpost.translator.model;

import java.util.Optional;

/** {@code http[].mirrors[]} (not supported yet): mirror to destination, percentage 0-100. */
public record HttpMirrorPolicy(Destination destination, Optional<Double> percentage) {}
