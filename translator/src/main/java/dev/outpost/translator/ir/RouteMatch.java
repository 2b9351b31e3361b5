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
    ImmutableList<QueryParamMatch> queryParams) {

  public static final RouteMatch ANY =
      new RouteMatch(Optional.empty(), Optional.empty(), ImmutableList.of(), ImmutableList.of());

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
    return anyPath && method.isEmpty() && headers.isEmpty() && queryParams.isEmpty();
  }

  public RouteMatch {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(queryParams, "queryParams");
  }
}
