package dev.outpost.translator.model;

import com.google.common.collect.ImmutableList;
import java.util.Objects;
import java.util.Optional;

/**
 * An Istio {@code AuthorizationPolicy} (security.istio.io v1beta1 and v1, one schema): which
 * requests and connections the proxies it selects let through. The parser has checked every field
 * (CIDRs, ports, known {@code when} keys, one of selector or targetRefs); the translator decides
 * what each field means on an HTTP or a TCP filter chain.
 *
 * <p>Lists that Istio treats as "absent when empty" are empty lists here; {@code rules} empty
 * means the policy matches nothing (an ALLOW policy without rules denies everything), while one
 * empty rule ({@code rules: [{}]}) matches everything.
 *
 * @param selector {@code spec.selector}; empty: every workload of the namespace (of the mesh, in
 *     the root namespace)
 * @param targetRefs {@code spec.targetRef} and {@code spec.targetRefs}, in that order
 * @param provider {@code spec.provider.name}, only meaningful with action CUSTOM
 */
public record AuthorizationPolicy(
    ObjectMeta metadata,
    Optional<WorkloadSelector> selector,
    ImmutableList<TargetRef> targetRefs,
    Action action,
    ImmutableList<Rule> rules,
    Optional<String> provider) {

  public AuthorizationPolicy {
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(selector, "selector");
    Objects.requireNonNull(targetRefs, "targetRefs");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(rules, "rules");
    Objects.requireNonNull(provider, "provider");
  }

  /** {@code spec.action}; ALLOW when absent. */
  public enum Action {
    ALLOW,
    DENY,
    AUDIT,
    CUSTOM
  }

  /**
   * {@code spec.targetRef(s)[]}: a resource the policy attaches to instead of a selector.
   *
   * @param group empty for the core group
   * @param namespace empty: the policy's namespace (Istio allows no other)
   */
  public record TargetRef(String group, String kind, String name, Optional<String> namespace) {
    public TargetRef {
      Objects.requireNonNull(group, "group");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(namespace, "namespace");
    }
  }

  /**
   * {@code spec.rules[]}: matches when one of {@code from} and one of {@code to} and all of {@code
   * when} match; an empty {@code from} or {@code to} matches anything.
   */
  public record Rule(
      ImmutableList<Source> from, ImmutableList<Operation> to, ImmutableList<Condition> when) {
    public Rule {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
      Objects.requireNonNull(when, "when");
    }
  }

  /**
   * {@code rules[].from[].source}: every non-empty field must match (a value list matches when one
   * value does; a {@code not} list when none does).
   *
   * @param principals {@code cluster.local/ns/NS/sa/SA}, with {@code *} as the whole value, a
   *     prefix ({@code cluster.local/ns/a/*}) or a suffix ({@code * /sa/b})
   * @param ipBlocks addresses or CIDRs, already checked
   */
  public record Source(
      ImmutableList<String> principals,
      ImmutableList<String> notPrincipals,
      ImmutableList<String> requestPrincipals,
      ImmutableList<String> notRequestPrincipals,
      ImmutableList<String> namespaces,
      ImmutableList<String> notNamespaces,
      ImmutableList<String> ipBlocks,
      ImmutableList<String> notIpBlocks,
      ImmutableList<String> remoteIpBlocks,
      ImmutableList<String> notRemoteIpBlocks) {
    public Source {
      Objects.requireNonNull(principals, "principals");
      Objects.requireNonNull(notPrincipals, "notPrincipals");
      Objects.requireNonNull(requestPrincipals, "requestPrincipals");
      Objects.requireNonNull(notRequestPrincipals, "notRequestPrincipals");
      Objects.requireNonNull(namespaces, "namespaces");
      Objects.requireNonNull(notNamespaces, "notNamespaces");
      Objects.requireNonNull(ipBlocks, "ipBlocks");
      Objects.requireNonNull(notIpBlocks, "notIpBlocks");
      Objects.requireNonNull(remoteIpBlocks, "remoteIpBlocks");
      Objects.requireNonNull(notRemoteIpBlocks, "notRemoteIpBlocks");
    }
  }

  /**
   * {@code rules[].to[].operation}, with the same matching as {@link Source}.
   *
   * @param hosts as written; matched against the authority case-insensitively, {@code *} forms as
   *     for principals
   * @param ports 1..65535, already checked (Istio writes them as strings)
   * @param paths as written, {@code *} forms as for principals
   */
  public record Operation(
      ImmutableList<String> hosts,
      ImmutableList<String> notHosts,
      ImmutableList<Integer> ports,
      ImmutableList<Integer> notPorts,
      ImmutableList<String> methods,
      ImmutableList<String> notMethods,
      ImmutableList<String> paths,
      ImmutableList<String> notPaths) {
    public Operation {
      Objects.requireNonNull(hosts, "hosts");
      Objects.requireNonNull(notHosts, "notHosts");
      Objects.requireNonNull(ports, "ports");
      Objects.requireNonNull(notPorts, "notPorts");
      Objects.requireNonNull(methods, "methods");
      Objects.requireNonNull(notMethods, "notMethods");
      Objects.requireNonNull(paths, "paths");
      Objects.requireNonNull(notPaths, "notPaths");
    }
  }

  /**
   * {@code rules[].when[]}: {@code key} is one Istio documents ({@code request.headers[NAME]} keeps
   * its name in brackets); at least one of {@code values} and {@code notValues} is non-empty.
   */
  public record Condition(
      String key, ImmutableList<String> values, ImmutableList<String> notValues) {
    public Condition {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(values, "values");
      Objects.requireNonNull(notValues, "notValues");
    }
  }
}
