package dev.outpost.translator.build;

import dev.outpost.translator.ir.OutlierDetection;
import java.util.Optional;
import java.util.OptionalInt;

/** DestinationRule {@code outlierDetection} → IR, with Istio's reading of the deprecated field. */
final class OutlierDetectionPolicy {
  private OutlierDetectionPolicy() {}

  static OutlierDetection convert(dev.outpost.translator.model.OutlierDetection od) {
    // Istio maps the deprecated consecutiveErrors to gateway errors (502, 503, 504).
    Optional<Integer> gatewayErrors = od.consecutiveGatewayErrors().or(od::consecutiveErrors);
    return new OutlierDetection(
        optionalInt(od.consecutive5xxErrors()),
        optionalInt(gatewayErrors),
        od.interval(),
        od.baseEjectionTime(),
        optionalInt(od.maxEjectionPercent()),
        optionalInt(od.minHealthPercent()));
  }

  private static OptionalInt optionalInt(Optional<Integer> value) {
    return value.map(OptionalInt::of).orElse(OptionalInt.empty());
  }
}
