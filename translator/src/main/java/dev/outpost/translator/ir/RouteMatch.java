package dev.outpost.translator.ir;

import com.google.common.collect.ImmutableList;
import java.util.Objects;
import java.util.Optional;

/**
 * What a request must look like for a route to apply. All parts must hold. No path match means
 * every path ({@code prefix: /}).
 */
public record RouteMatch(
    Optional<StringMatch> path,
    Optional<StringMatch> method,
    ImmutableList<HeaderMatch> headers,
    ImmutableList<QueryParamMatch> queryParams,
    boolean connect) {

  public static final RouteMatch ANY =
      new RouteMatch(Optional.empty(), Optional.empty(), ImmutableList.of(), ImmutableList.of());

  /**
   * An HTTP CONNECT request (Envoy's {@code connect_matcher}; a CONNECT has no path, so no other
   * match takes it). A forwarding route with this match tunnels the CONNECT's bytes to the cluster
   * as TCP: how a client proxy carries an application's {@code https_proxy} traffic.
   */
  public static final RouteMatch CONNECT =
      new RouteMatch(
          Optional.empty(), Optional.empty(), ImmutableList.of(), ImmutableList.of(), true);

  public RouteMatch(
      Optional<StringMatch> path,
      Optional<StringMatch> method,
      ImmutableList<HeaderMatch> headers,
      ImmutableList<QueryParamMatch> queryParams) {
    this(path, method, headers, queryParams, false);
  }

  /**
   * Matches every request: no conditions beyond path prefix {@code /} or regex {@code .*}. Istio
   * ends a VirtualService's routes at the first such match and moves these routes behind all others
   * when VirtualServices merge into one virtual host.
   */
  public boolean isCatchAll() {
    boolean anyPath =
        path.isEmpty()
            || (path.get().kind() == StringMatch.Kind.PREFIX && path.get().value().equals("/"))
            || (path.get().kind() == StringMatch.Kind.REGEX && path.get().value().equals(".*"));
    return !connect && anyPath && method.isEmpty() && headers.isEmpty() && queryParams.isEmpty();
  }

  public RouteMatch {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(queryParams, "queryParams");
    if (connect && (path.isPresent() || method.isPresent() || !queryParams.isEmpty())) {
      throw new IllegalArgumentException("a CONNECT match has no path, method or query");
    }
  }
}
