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
 * @param preferOtherHosts retry on a host not yet tried (Envoy's {@code previous_hosts}
 *     predicate), as Istio does unless the route hashes to pick its host
 */
public record RetryPolicy(
    int attempts,
    Optional<Duration> perTryTimeout,
    String retryOn,
    ImmutableList<Integer> retriableStatusCodes,
    boolean preferOtherHosts) {

  /** A policy that prefers other hosts on retry, Istio's default. */
  public RetryPolicy(
      int attempts,
      Optional<Duration> perTryTimeout,
      String retryOn,
      ImmutableList<Integer> retriableStatusCodes) {
    this(attempts, perTryTimeout, retryOn, retriableStatusCodes, true);
  }

  /** The same policy, retrying on any host: consistent hashing must stay on its host. */
  public RetryPolicy onAnyHost() {
    return new RetryPolicy(attempts, perTryTimeout, retryOn, retriableStatusCodes, false);
  }

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
