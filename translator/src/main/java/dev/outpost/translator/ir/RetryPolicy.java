package dev.outpost.translator.ir;

import com.google.common.collect.ImmutableList;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Route retries.
 *
 * @param retryOn Envoy's comma-separated retry conditions
 * @param retriableStatusCodes the codes {@code retriable-status-codes} refers to
 */
public record RetryPolicy(
    int attempts,
    Optional<Duration> perTryTimeout,
    String retryOn,
    ImmutableList<Integer> retriableStatusCodes) {
  public RetryPolicy {
    Objects.requireNonNull(perTryTimeout, "perTryTimeout");
    Objects.requireNonNull(retryOn, "retryOn");
    Objects.requireNonNull(retriableStatusCodes, "retriableStatusCodes");
    if (attempts < 1) {
      throw new IllegalArgumentException(
          "a retry policy needs at least one attempt; use no policy instead");
    }
  }
}
