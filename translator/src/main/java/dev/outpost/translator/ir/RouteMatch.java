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

  public RouteMatch {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(queryParams, "queryParams");
  }
}
