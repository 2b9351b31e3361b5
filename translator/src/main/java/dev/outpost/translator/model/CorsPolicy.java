package dev.outpost.translator.model;

import com.google.common.collect.ImmutableList;
import java.time.Duration;
import java.util.Optional;

/** {@code http[].corsPolicy} (not supported yet). */
public record CorsPolicy(
    ImmutableList<StringMatch> allowOrigins,
    ImmutableList<String> allowMethods,
    ImmutableList<String> allowHeaders,
    ImmutableList<String> exposeHeaders,
    Optional<Duration> maxAge,
    Optional<Boolean> allowCredentials) {}
