package dev.outpost.translator.ir;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Passive health checking, as Istio's {@code outlierDetection}; empty fields keep Envoy defaults.
 */
public record OutlierDetection(
    OptionalInt consecutive5xxErrors,
    OptionalInt consecutiveGatewayErrors,
    Optional<Duration> interval,
    Optional<Duration> baseEjectionTime,
    OptionalInt maxEjectionPercent,
    OptionalInt minHealthPercent) {
  public OutlierDetection {
    Objects.requireNonNull(consecutive5xxErrors, "consecutive5xxErrors");
    Objects.requireNonNull(consecutiveGatewayErrors, "consecutiveGatewayErrors");
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(baseEjectionTime, "baseEjectionTime");
    Objects.requireNonNull(maxEjectionPercent, "maxEjectionPercent");
    Objects.requireNonNull(minHealthPercent, "minHealthPercent");
  }
}
