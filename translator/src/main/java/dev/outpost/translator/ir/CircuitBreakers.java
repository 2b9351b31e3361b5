package dev.outpost.translator.ir;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * Envoy's default-priority circuit breaker thresholds. Empty ones are unlimited, as in Istio (Envoy's
 * own defaults, 1024 connections/requests and 3 concurrent retries, would cap a gateway's traffic
 * and skip retries under load).
 */
public record CircuitBreakers(
    OptionalInt maxConnections,
    OptionalInt maxPendingRequests,
    OptionalInt maxRequests,
    OptionalInt maxRetries) {
  public static final CircuitBreakers UNLIMITED =
      new CircuitBreakers(
          OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty());

  public CircuitBreakers {
    Objects.requireNonNull(maxConnections, "maxConnections");
    Objects.requireNonNull(maxPendingRequests, "maxPendingRequests");
    Objects.requireNonNull(maxRequests, "maxRequests");
    Objects.requireNonNull(maxRetries, "maxRetries");
  }
}
