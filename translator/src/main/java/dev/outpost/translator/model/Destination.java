package dev.outpost.translator.model;

import java.util.Objects;
import java.util.Optional;

/**
 * Istio {@code Destination}: where a route sends traffic.
 *
 * @param host a service host (ServiceEntry host or short name as written)
 * @param subset a DestinationRule subset name
 * @param port {@code port.number}; may be omitted when the service has exactly one port
 */
public record Destination(String host, Optional<String> subset, Optional<Integer> port) {
  public Destination {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(subset, "subset");
    Objects.requireNonNull(port, "port");
  }
}
