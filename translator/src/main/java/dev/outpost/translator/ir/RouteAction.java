package dev.outpost.translator.ir;

import com.google.common.collect.ImmutableList;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/** What a route does with a matching request: forward it, redirect it, or answer it directly. */
public sealed interface RouteAction {

  /**
   * Forward to one or more clusters.
   *
   * @param timeout {@link Duration#ZERO} disables Envoy's route timeout (Istio's default)
   * @param retries empty means no retries at all
   */
  record Forward(
      ImmutableList<WeightedDestination> destinations,
      Optional<Rewrite> rewrite,
      Duration timeout,
      Optional<RetryPolicy> retries,
      ImmutableList<HashPolicy> hashPolicies)
      implements RouteAction {
    public Forward {
      Objects.requireNonNull(destinations, "destinations");
      Objects.requireNonNull(rewrite, "rewrite");
      Objects.requireNonNull(timeout, "timeout");
      Objects.requireNonNull(retries, "retries");
      Objects.requireNonNull(hashPolicies, "hashPolicies");
      if (destinations.isEmpty()) {
        throw new IllegalArgumentException("a forwarding route needs at least one destination");
      }
    }
  }

  /** An HTTP redirect; each empty part keeps the request's own value. */
  record Redirect(
      Optional<String> path,
      Optional<String> authority,
      Optional<String> scheme,
      OptionalInt port,
      int responseCode)
      implements RouteAction {
    public Redirect {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(authority, "authority");
      Objects.requireNonNull(scheme, "scheme");
      Objects.requireNonNull(port, "port");
    }
  }

  /** A fixed response without contacting any upstream; the body is bytes, usually UTF-8 text. */
  record DirectResponse(int status, Optional<com.google.protobuf.ByteString> body)
      implements RouteAction {
    /**
     * The largest body a route config allows (its {@code max_direct_response_body_size_bytes}):
     * 1 MiB, Istio's limit.
     */
    public static final int MAX_BODY_BYTES = 1024 * 1024;

    public DirectResponse {
      Objects.requireNonNull(body, "body");
    }
  }
}
