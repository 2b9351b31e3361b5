package dev.outpost.translator.ir;

import com.google.common.collect.ImmutableList;
import java.util.Objects;

/**
 * The AuthorizationPolicies that apply to one gateway, as the RBAC filters its chains run: one
 * filter per action present, in Envoy's order of evaluation AUDIT (Envoy's LOG), DENY, ALLOW. HTTP
 * chains and TCP chains get different filters, because a TCP chain cannot see HTTP attributes: a
 * rule that needs them is dropped (ALLOW) or loses just those conditions (DENY, AUDIT), as in
 * Istio.
 *
 * @param httpFilters for HTTP connection managers ({@code envoy.filters.http.rbac})
 * @param tcpFilters for TCP proxy chains: plaintext TCP, TLS-terminated TCP, passthrough ({@code
 *     envoy.filters.network.rbac})
 */
public record Authorization(ImmutableList<RbacFilter> httpFilters, ImmutableList<RbacFilter> tcpFilters) {
  /** No policy applies: no RBAC filter, everything the routes allow passes. */
  public static final Authorization NONE = new Authorization(ImmutableList.of(), ImmutableList.of());

  public Authorization {
    Objects.requireNonNull(httpFilters, "httpFilters");
    Objects.requireNonNull(tcpFilters, "tcpFilters");
  }

  /** What an RBAC filter does with a request that one of its policies matches. */
  public enum Action {
    /** AUDIT: marks the request for the access log, never refuses it. */
    LOG,
    DENY,
    /** Only requests a policy matches pass; with no policy, nothing passes. */
    ALLOW
  }

  /**
   * One RBAC filter.
   *
   * @param policies in evaluation order; may be empty, which for ALLOW refuses everything (an
   *     ALLOW policy applies, but none of its rules can match)
   */
  public record RbacFilter(Action action, ImmutableList<RbacPolicy> policies) {
    public RbacFilter {
      Objects.requireNonNull(action, "action");
      Objects.requireNonNull(policies, "policies");
    }
  }
}
