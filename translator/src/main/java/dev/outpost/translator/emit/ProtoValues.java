package dev.outpost.translator.emit;

import com.google.protobuf.Duration;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.type.v3.FractionalPercent;

/** Small conversions every emitter needs. */
final class ProtoValues {
  private ProtoValues() {}

  static Duration duration(java.time.Duration value) {
    return Duration.newBuilder().setSeconds(value.getSeconds()).setNanos(value.getNano()).build();
  }

  /** Everything Outpost serves comes over the one ADS stream. */
  static ConfigSource ads() {
    return ConfigSource.newBuilder()
        .setAds(AggregatedConfigSource.getDefaultInstance())
        .setResourceApiVersion(ApiVersion.V3)
        .build();
  }

  /**
   * Istio percentages are doubles 0..100; Envoy's fractional percent in millionths keeps four
   * decimal places, which is what Istio promises.
   */
  static FractionalPercent percent(double percentage) {
    long millionths = Math.round(Math.max(0, Math.min(100, percentage)) * 10_000);
    return FractionalPercent.newBuilder()
        .setNumerator((int) millionths)
        .setDenominator(FractionalPercent.DenominatorType.MILLION)
        .build();
  }
}
