package dev.outpost.translator.model;

import java.util.Optional;

/** {@code tls[].route[]} / {@code tcp[].route[]}: a weighted L4 destination. */
public record RouteDestination(Destination destination, Optional<Integer> weight) {}
