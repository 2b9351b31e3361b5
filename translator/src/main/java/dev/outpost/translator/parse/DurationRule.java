package dev.outpost.translator.parse;

import java.time.Duration;
import java.util.Optional;

/** What values a duration field accepts, following Istio's validation. */
enum DurationRule {
  /** At least 1ms, as Istio's {@code ValidateDuration} requires for timeouts and intervals. */
  AT_LEAST_1MS,
  /** Zero allowed (it usually means "disabled"), negative not. */
  NON_NEGATIVE;

  /** Why {@code d} is not acceptable, or empty when it is. */
  Optional<String> check(String text, Duration d) {
    if (d.isNegative()) {
      return Optional.of("\"" + text + "\" is negative; durations must be positive, e.g. 5s");
    }
    if (this == AT_LEAST_1MS && d.compareTo(Duration.ofMillis(1)) < 0) {
      return Optional.of("\"" + text + "\" is too short; it must be at least 1ms");
    }
    if (d.getNano() % 1_000_000 != 0) {
      return Optional.of(
          "\""
              + text
              + "\" is finer than a millisecond; Istio supports millisecond precision only");
    }
    return Optional.empty();
  }
}
