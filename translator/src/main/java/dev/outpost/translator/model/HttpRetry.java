package dev.outpost.translator.model;

import com.google.common.collect.ImmutableList;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code http[].retries}.
 *
 * @param attempts number of retries (0 disables retries)
 * @param perTryTimeout timeout per attempt
 * @param retryOn the comma-separated {@code retryOn} conditions, split and trimmed (Envoy retry
 *     policies such as {@code 5xx}, {@code connect-failure}, or HTTP status codes)
 * @param retryRemoteLocalities retry in other localities
 */
public record HttpRetry(
    int attempts,
    Optional<Duration> perTryTimeout,
    ImmutableList<String> retryOn,
    Optional<Boolean> retryRemoteLocalities) {}
