package dev.outpost.translator.model;

import com.google.common.collect.ImmutableList;
import java.time.Duration;
import java.util.Optional;

/**
 * One {@code spec.http[]} rule of a VirtualService. Exactly one of {@code route}, {@code redirect},
 * {@code directResponse} or {@code delegate} is set (checked by the parser).
 *
 * <p>{@code mirror}, {@code mirrors}, {@code mirrorPercentage}, {@code corsPolicy} and {@code
 * delegate} are parsed and validated, but the parser reports them as not supported yet.
 *
 * @param match conditions; empty matches everything
 * @param mirrorPercentage 0-100, percentage of traffic mirrored to {@code mirror}
 */
public record HttpRoute(
    Optional<String> name,
    ImmutableList<HttpMatchRequest> match,
    ImmutableList<HttpRouteDestination> route,
    Optional<HttpRedirect> redirect,
    Optional<HttpDirectResponse> directResponse,
    Optional<Delegate> delegate,
    Optional<HttpRewrite> rewrite,
    Optional<Duration> timeout,
    Optional<HttpRetry> retries,
    Optional<HttpFaultInjection> fault,
    Optional<Destination> mirror,
    ImmutableList<HttpMirrorPolicy> mirrors,
    Optional<Double> mirrorPercentage,
    Optional<CorsPolicy> corsPolicy,
    Optional<Headers> headers) {}
