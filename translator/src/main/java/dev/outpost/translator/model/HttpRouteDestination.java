package dev.outpost.translator.model;

import java.util.Optional;

/**
 * {@code http[].route[]}: a weighted destination.
 *
 * @param weight relative weight (0-100); absent on a single destination, which then gets 100%
 * @param headers header operations applied only when this destination is chosen
 */
public record HttpRouteDestination(
    Destination destination, Optional<Integer> weight, Optional<Headers> headers) {}
