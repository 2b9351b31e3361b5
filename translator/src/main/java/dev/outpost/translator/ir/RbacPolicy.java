package dev.outpost.translator.ir;

import java.util.Objects;

/**
 * One AuthorizationPolicy rule as an RBAC policy: it matches a request when both {@code
 * permission} (what is asked for: host, path, port, SNI...) and {@code principal} (who asks:
 * peer identity, addresses) match.
 *
 * @param name Istio's {@code ns[NAMESPACE]-policy[NAME]-rule[INDEX]}, which Envoy puts in the
 *     access log's response code details when the policy denies ({@code
 *     rbac_access_denied_matched_policy[...]})
 * @param permission built from {@code to} and the request-side {@code when} conditions
 * @param principal built from {@code from} and the peer-side {@code when} conditions
 */
public record RbacPolicy(String name, RbacMatch permission, RbacMatch principal) {
  public RbacPolicy {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(permission, "permission");
    Objects.requireNonNull(principal, "principal");
  }
}
