package dev.outpost.translator.ir;

import java.util.Objects;
import java.util.OptionalInt;

/** Envoy's default-priority circuit breaker thresholds; empty ones keep Envoy's defaults. */
public record CircuitBreakers(
    OptionalInt maxConnections,
    OptionalInt maxPendingRequests,
    OptionalInt maxRequests,
    OptionalInt maxRetries) {
  public CircuitBreakers {
    Objects.requireNonNull(maxConnections, "maxConnections");
    Objects.requireNonNull(maxPendingRequests, "maxPendingRequests");
    Objects.requireNonNull(maxRequests, "maxRequests");
    Objects.requireNonNull(maxRetries, "maxRetries");
  }
}
