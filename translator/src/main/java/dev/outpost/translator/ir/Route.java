package dev.outpost.translator.ir;

import java.util.Objects;
import java.util.Optional;

/**
 * One route: when {@code match} holds, do {@code action}, with header edits and optional fault
 * injection.
 *
 * @param name unique inside its virtual host; shows up as {@code route_name} in access logs
 */
public record Route(
    String name,
    RouteMatch match,
    RouteAction action,
    HeaderOperations requestHeaders,
    HeaderOperations responseHeaders,
    Optional<FaultInjection> fault) {

  public Route {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(match, "match");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(requestHeaders, "requestHeaders");
    Objects.requireNonNull(responseHeaders, "responseHeaders");
    Objects.requireNonNull(fault, "fault");
  }
}
