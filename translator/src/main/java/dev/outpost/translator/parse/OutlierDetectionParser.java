package dev.outpost.translator.parse;

import dev.outpost.translator.model.OutlierDetection;

/** Reads {@code trafficPolicy.outlierDetection}, with Istio's rules. */
final class OutlierDetectionParser {
  private OutlierDetectionParser() {}

  static OutlierDetection parse(FieldReader o) {
    var consecutiveErrors = o.nonNegative("consecutiveErrors");
    if (consecutiveErrors.isPresent()) {
      o.warning(
          "consecutiveErrors",
          "is deprecated; use consecutive5xxErrors or consecutiveGatewayErrors");
    }
    var consecutive5xx = o.nonNegative("consecutive5xxErrors");
    var gateway = o.nonNegative("consecutiveGatewayErrors");
    var localOrigin = o.nonNegative("consecutiveLocalOriginFailures");
    var split = o.bool("splitExternalLocalOriginErrors");
    var interval = o.duration("interval", DurationRule.AT_LEAST_1MS);
    var baseEjection = o.duration("baseEjectionTime", DurationRule.AT_LEAST_1MS);
    var maxEjection = o.intInRange("maxEjectionPercent", 0, 100, "percentage");
    var minHealth = o.intInRange("minHealthPercent", 0, 100, "percentage");
    o.finish();
    if (localOrigin.orElse(0) > 0 && !split.orElse(false)) {
      o.error(
          "consecutiveLocalOriginFailures",
          "only applies with splitExternalLocalOriginErrors: true");
    }
    return new OutlierDetection(
        consecutiveErrors,
        consecutive5xx,
        gateway,
        localOrigin,
        split,
        interval,
        baseEjection,
        maxEjection,
        minHealth);
  }
}
