package dev.outpost.translator.model;

import java.time.Duration;
import java.util.Optional;

/**
 * {@code trafficPolicy.outlierDetection}.
 *
 * @param consecutiveErrors deprecated alias Istio still accepts (maps to 502/503/504 errors)
 * @param maxEjectionPercent 0-100
 * @param minHealthPercent 0-100
 */
public record OutlierDetection(
    Optional<Integer> consecutiveErrors,
    Optional<Integer> consecutive5xxErrors,
    Optional<Integer> consecutiveGatewayErrors,
    Optional<Integer> consecutiveLocalOriginFailures,
    Optional<Boolean> splitExternalLocalOriginErrors,
    Optional<Duration> interval,
    Optional<Duration> baseEjectionTime,
    Optional<Integer> maxEjectionPercent,
    Optional<Integer> minHealthPercent) {}
