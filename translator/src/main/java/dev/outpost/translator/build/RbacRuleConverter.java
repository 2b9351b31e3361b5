package dev.outpost.translator.build;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.ir.RbacMatch;
import dev.outpost.translator.ir.RbacPolicy;
import dev.outpost.translator.model.AuthorizationPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One AuthorizationPolicy rule → one RBAC policy, for an HTTP or a TCP chain. A rule matches when
 * one of its {@code from} sources, one of its {@code to} operations and all of its {@code when}
 * conditions match; inside a source or operation every field must match, a field when one of its
 * values does, a {@code not} field when none does.
 *
 * <p>Some conditions cannot be evaluated where the rule is used: HTTP attributes on a TCP chain,
 * and request authentication (JWT), which Outpost does not implement. As Istio does for the former,
 * an ALLOW rule that needs them is dropped (it allows nothing there), while a DENY or AUDIT rule
 * only loses those conditions (it refuses more, never less). The caller reports both.
 */
final class RbacRuleConverter {

  /** Where the rule is enforced. */
  enum Chain {
    HTTP,
    TCP
  }

  /**
   * The rule as the chain can enforce it.
   *
   * @param policy empty when an ALLOW rule was dropped
   * @param httpOnlyFields field paths (under {@code spec.rules[i]}) that a TCP chain cannot see
   * @param unsupportedFields field paths that need request authentication
   */
  record Converted(
      Optional<RbacPolicy> policy,
      ImmutableList<String> httpOnlyFields,
      ImmutableList<String> unsupportedFields) {}

  /** Why a condition may be unusable on a chain. */
  private enum Need {
    NOTHING,
    HTTP,
    REQUEST_AUTHENTICATION
  }

  private record Term(String field, RbacMatch match, Need need) {}

  static String policyName(AuthorizationPolicy policy, int ruleIndex) {
    return "ns["
        + policy.metadata().namespace()
        + "]-policy["
        + policy.metadata().name()
        + "]-rule["
        + ruleIndex
        + "]";
  }

  Converted convert(
      AuthorizationPolicy policy, int ruleIndex, boolean allow, Chain chain) {
    AuthorizationPolicy.Rule rule = policy.rules().get(ruleIndex);
    List<List<Term>> sources = new ArrayList<>();
    for (int i = 0; i < rule.from().size(); i++) {
      sources.add(sourceTerms("from[" + i + "].source.", rule.from().get(i)));
    }
    List<List<Term>> operations = new ArrayList<>();
    for (int i = 0; i < rule.to().size(); i++) {
      operations.add(operationTerms("to[" + i + "].operation.", rule.to().get(i)));
    }
    List<Term> conditions = new ArrayList<>();
    for (int i = 0; i < rule.when().size(); i++) {
      conditions.addAll(conditionTerms("when[" + i + "]", rule.when().get(i)));
    }

    List<String> httpOnly = new ArrayList<>();
    List<String> unsupported = new ArrayList<>();
    for (List<Term> group : concat(sources, operations, List.of(conditions))) {
      for (Term t : group) {
        if (t.need() == Need.REQUEST_AUTHENTICATION) {
          addOnce(unsupported, t.field());
        } else if (t.need() == Need.HTTP && chain == Chain.TCP) {
          addOnce(httpOnly, t.field());
        }
      }
    }
    Converted dropped =
        new Converted(
            Optional.empty(), ImmutableList.copyOf(httpOnly), ImmutableList.copyOf(unsupported));
    if (allow && (!httpOnly.isEmpty() || !unsupported.isEmpty())) {
      return dropped;
    }

    RbacMatch principal =
        and(
            ImmutableList.of(
                anyOf(sources, chain), allOf(onSide(conditions, false), chain)));
    RbacMatch permission =
        and(
            ImmutableList.of(
                anyOf(operations, chain), allOf(onSide(conditions, true), chain)));
    return new Converted(
        Optional.of(new RbacPolicy(policyName(policy, ruleIndex), permission, principal)),
        dropped.httpOnlyFields(),
        dropped.unsupportedFields());
  }

  private static List<Term> sourceTerms(String path, AuthorizationPolicy.Source s) {
    List<Term> terms = new ArrayList<>();
    field(terms, path + "principals", s.principals(), false, RbacConditions::principal, Need.NOTHING);
    field(terms, path + "notPrincipals", s.notPrincipals(), true, RbacConditions::principal, Need.NOTHING);
    field(terms, path + "requestPrincipals", s.requestPrincipals(), false, v -> new RbacMatch.Any(), Need.REQUEST_AUTHENTICATION);
    field(terms, path + "notRequestPrincipals", s.notRequestPrincipals(), true, v -> new RbacMatch.Any(), Need.REQUEST_AUTHENTICATION);
    field(terms, path + "namespaces", s.namespaces(), false, RbacConditions::namespace, Need.NOTHING);
    field(terms, path + "notNamespaces", s.notNamespaces(), true, RbacConditions::namespace, Need.NOTHING);
    field(terms, path + "ipBlocks", s.ipBlocks(), false, v -> new RbacMatch.DirectRemoteIp(RbacConditions.cidr(v)), Need.NOTHING);
    field(terms, path + "notIpBlocks", s.notIpBlocks(), true, v -> new RbacMatch.DirectRemoteIp(RbacConditions.cidr(v)), Need.NOTHING);
    field(terms, path + "remoteIpBlocks", s.remoteIpBlocks(), false, v -> new RbacMatch.RemoteIp(RbacConditions.cidr(v)), Need.NOTHING);
    field(terms, path + "notRemoteIpBlocks", s.notRemoteIpBlocks(), true, v -> new RbacMatch.RemoteIp(RbacConditions.cidr(v)), Need.NOTHING);
    return terms;
  }

  private static List<Term> operationTerms(String path, AuthorizationPolicy.Operation o) {
    List<Term> terms = new ArrayList<>();
    field(terms, path + "hosts", o.hosts(), false, RbacConditions::host, Need.HTTP);
    field(terms, path + "notHosts", o.notHosts(), true, RbacConditions::host, Need.HTTP);
    field(terms, path + "ports", o.ports(), false, RbacMatch.DestinationPort::new, Need.NOTHING);
    field(terms, path + "notPorts", o.notPorts(), true, RbacMatch.DestinationPort::new, Need.NOTHING);
    field(terms, path + "methods", o.methods(), false, RbacConditions::method, Need.HTTP);
    field(terms, path + "notMethods", o.notMethods(), true, RbacConditions::method, Need.HTTP);
    field(terms, path + "paths", o.paths(), false, RbacConditions::path, Need.HTTP);
    field(terms, path + "notPaths", o.notPaths(), true, RbacConditions::path, Need.HTTP);
    return terms;
  }

  /** A {@code when} condition: its values (any) and notValues (none) as up to two terms. */
  private static List<Term> conditionTerms(String path, AuthorizationPolicy.Condition c) {
    String key = c.key();
    Need need = Need.NOTHING;
    Function<String, RbacMatch> value;
    if (key.startsWith("request.headers[") && key.endsWith("]")) {
      String header = key.substring("request.headers[".length(), key.length() - 1);
      value = v -> RbacConditions.header(header.toLowerCase(java.util.Locale.ROOT), v);
      need = Need.HTTP;
    } else {
      switch (key) {
        case "source.ip" -> value = v -> new RbacMatch.DirectRemoteIp(RbacConditions.cidr(v));
        case "remote.ip" -> value = v -> new RbacMatch.RemoteIp(RbacConditions.cidr(v));
        case "source.namespace" -> value = RbacConditions::namespace;
        case "source.principal" -> value = RbacConditions::principal;
        case "destination.ip" -> value = v -> new RbacMatch.DestinationIp(RbacConditions.cidr(v));
        case "destination.port" -> value = v -> new RbacMatch.DestinationPort(Integer.parseInt(v));
        case "connection.sni" -> value = RbacConditions::serverName;
        default -> {
          // request.auth.* (JWT claims) and experimental.envoy.filters.* (another filter's
          // metadata): nothing in Outpost produces them.
          value = v -> new RbacMatch.Any();
          need = Need.REQUEST_AUTHENTICATION;
        }
      }
    }
    List<Term> terms = new ArrayList<>();
    field(terms, path + ".values", c.values(), false, value, need);
    field(terms, path + ".notValues", c.notValues(), true, value, need);
    return terms;
  }

  private static <T> void field(
      List<Term> terms,
      String path,
      List<T> values,
      boolean negated,
      Function<T, RbacMatch> toMatch,
      Need need) {
    if (values.isEmpty()) {
      return;
    }
    RbacMatch any = or(values.stream().map(toMatch).collect(ImmutableList.toImmutableList()));
    terms.add(new Term(path, negated ? new RbacMatch.Not(any) : any, need));
  }

  /** OR over groups, each the AND of its usable terms; no groups: anything. */
  private static RbacMatch anyOf(List<List<Term>> groups, Chain chain) {
    if (groups.isEmpty()) {
      return new RbacMatch.Any();
    }
    return or(
        groups.stream().map(g -> allOf(g, chain)).collect(ImmutableList.toImmutableList()));
  }

  private static RbacMatch allOf(List<Term> terms, Chain chain) {
    return and(
        terms.stream()
            .filter(t -> usable(t, chain))
            .map(Term::match)
            .collect(ImmutableList.toImmutableList()));
  }

  private static boolean usable(Term term, Chain chain) {
    return switch (term.need()) {
      case NOTHING -> true;
      case HTTP -> chain == Chain.HTTP;
      case REQUEST_AUTHENTICATION -> false;
    };
  }

  /** The {@code when} terms that belong on the request side (permission) or peer side. */
  private static List<Term> onSide(List<Term> terms, boolean request) {
    return terms.stream().filter(t -> onRequest(t.match()) == request).toList();
  }

  private static boolean onRequest(RbacMatch match) {
    if (match instanceof RbacMatch.Not not) {
      return onRequest(not.negated());
    }
    if (match instanceof RbacMatch.Or or) {
      return or.any().stream().anyMatch(RbacRuleConverter::onRequest);
    }
    // Headers are evaluated as request conditions; Envoy has them on both sides.
    return match instanceof RbacMatch.OnRequest || match instanceof RbacMatch.Header;
  }

  private static RbacMatch and(ImmutableList<RbacMatch> all) {
    ImmutableList<RbacMatch> meaningful =
        all.stream()
            .filter(m -> !(m instanceof RbacMatch.Any))
            .collect(ImmutableList.toImmutableList());
    if (meaningful.isEmpty()) {
      return new RbacMatch.Any();
    }
    return meaningful.size() == 1 ? meaningful.get(0) : new RbacMatch.And(meaningful);
  }

  private static RbacMatch or(ImmutableList<RbacMatch> any) {
    if (any.stream().anyMatch(m -> m instanceof RbacMatch.Any)) {
      return new RbacMatch.Any();
    }
    return any.size() == 1 ? any.get(0) : new RbacMatch.Or(any);
  }

  @SafeVarargs
  private static List<List<Term>> concat(List<List<Term>>... lists) {
    List<List<Term>> out = new ArrayList<>();
    for (List<List<Term>> l : lists) {
      out.addAll(l);
    }
    return out;
  }

  private static void addOnce(List<String> list, String value) {
    if (!list.contains(value)) {
      list.add(value);
    }
  }
}
