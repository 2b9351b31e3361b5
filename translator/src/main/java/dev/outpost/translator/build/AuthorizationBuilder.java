package dev.outpost.translator.build;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.ir.Authorization;
import dev.outpost.translator.ir.DownstreamTls;
import dev.outpost.translator.ir.FilterChainPlan;
import dev.outpost.translator.ir.GatewayPort;
import dev.outpost.translator.ir.RbacPolicy;
import dev.outpost.translator.model.AuthorizationPolicy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The AuthorizationPolicies selected for a gateway → its RBAC filters, in Envoy's order AUDIT,
 * DENY, ALLOW, for HTTP and for TCP chains. Istio's semantics: no ALLOW policy means allow; an ALLOW
 * policy whose rules cannot match denies everything; a DENY policy without rules denies nothing.
 * Besides the filters, it says what a user would otherwise find out in production: rules narrowed
 * or broadened on TCP ports, conditions Outpost cannot evaluate, and identity rules on ports where
 * clients present no certificate.
 */
final class AuthorizationBuilder {
  private final RbacRuleConverter rules = new RbacRuleConverter();
  private final DiagnosticSink diagnostics;

  AuthorizationBuilder(DiagnosticSink diagnostics) {
    this.diagnostics = diagnostics;
  }

  Authorization build(
      ImmutableList<AuthorizationPolicy> policies, ImmutableList<GatewayPort> ports) {
    if (policies.isEmpty()) {
      return Authorization.NONE;
    }
    TreeSet<Integer> httpPorts = portsWith(ports, c -> c instanceof FilterChainPlan.Http);
    TreeSet<Integer> tcpPorts = portsWith(ports, c -> c instanceof FilterChainPlan.TcpProxy);
    TreeSet<Integer> unverifiedPorts = portsWith(ports, c -> !verifiesClientCertificate(c));
    for (AuthorizationPolicy policy : policies) {
      if (policy.action() == AuthorizationPolicy.Action.CUSTOM) {
        diagnostics.error(
            Subjects.of(policy),
            "spec.action",
            "CUSTOM (external authorization"
                + policy.provider().map(p -> " by provider \"" + p + "\"").orElse("")
                + ") is not supported by Outpost. So that nothing the external authorizer might"
                + " refuse gets through, the rules are enforced as DENY: every request they match"
                + " is refused. Use ALLOW and DENY policies instead.");
      }
      reportUnverifiedIdentities(policy, unverifiedPorts);
    }
    ImmutableList.Builder<Authorization.RbacFilter> http = ImmutableList.builder();
    ImmutableList.Builder<Authorization.RbacFilter> tcp = ImmutableList.builder();
    for (Authorization.Action action : Authorization.Action.values()) {
      ImmutableList<AuthorizationPolicy> withAction =
          policies.stream()
              .filter(p -> action(p) == action)
              .collect(ImmutableList.toImmutableList());
      if (withAction.isEmpty()) {
        continue;
      }
      if (!httpPorts.isEmpty()) {
        filter(action, withAction, RbacRuleConverter.Chain.HTTP, tcpPorts).ifPresent(http::add);
      }
      if (!tcpPorts.isEmpty()) {
        filter(action, withAction, RbacRuleConverter.Chain.TCP, tcpPorts).ifPresent(tcp::add);
      }
    }
    return new Authorization(http.build(), tcp.build());
  }

  /** CUSTOM fails closed as DENY; AUDIT is Envoy's LOG. */
  private static Authorization.Action action(AuthorizationPolicy policy) {
    return switch (policy.action()) {
      case ALLOW -> Authorization.Action.ALLOW;
      case DENY, CUSTOM -> Authorization.Action.DENY;
      case AUDIT -> Authorization.Action.LOG;
    };
  }

  /**
   * One action's filter; none for DENY and AUDIT without a rule that can match, since such a filter
   * would do nothing. An ALLOW filter stays even without policies: it then refuses everything.
   */
  private Optional<Authorization.RbacFilter> filter(
      Authorization.Action action,
      ImmutableList<AuthorizationPolicy> policies,
      RbacRuleConverter.Chain chain,
      TreeSet<Integer> tcpPorts) {
    boolean allow = action == Authorization.Action.ALLOW;
    List<RbacPolicy> converted = new ArrayList<>();
    for (AuthorizationPolicy policy : policies) {
      for (int i = 0; i < policy.rules().size(); i++) {
        RbacRuleConverter.Converted rule = rules.convert(policy, i, allow, chain);
        rule.policy().ifPresent(converted::add);
        report(policy, i, allow, rule, tcpPorts);
      }
    }
    if (converted.isEmpty() && !allow) {
      return Optional.empty();
    }
    return Optional.of(new Authorization.RbacFilter(action, ImmutableList.copyOf(converted)));
  }

  private void report(
      AuthorizationPolicy policy,
      int ruleIndex,
      boolean allow,
      RbacRuleConverter.Converted rule,
      TreeSet<Integer> tcpPorts) {
    String field = "spec.rules[" + ruleIndex + "]";
    if (!rule.unsupportedFields().isEmpty()) {
      diagnostics.error(
          Subjects.of(policy),
          field,
          String.join(", ", rule.unsupportedFields())
              + " needs request authentication (JWT: requestPrincipals, request.auth.*) or"
              + " another filter's metadata, which Outpost does not provide, so "
              + (allow
                  ? "this ALLOW rule can never match and is left out: it allows nothing."
                  : "the rule is enforced without it: it refuses everything its other conditions"
                      + " match (failing closed).")
              + " Match on the peer's identity (principals, namespaces) instead.");
    }
    String affectedTcpPorts = list(reachable(policy.rules().get(ruleIndex), tcpPorts));
    if (!rule.httpOnlyFields().isEmpty() && !affectedTcpPorts.isEmpty()) {
      diagnostics.warning(
          Subjects.of(policy),
          field,
          String.join(", ", rule.httpOnlyFields())
              + " are HTTP attributes, which a TCP connection does not have. On this gateway's"
              + " TCP, TLS and passthrough port(s) "
              + affectedTcpPorts
              + (allow
                  ? " the rule is left out, as Istio does, so it allows nothing there. To allow"
                      + " such connections, add a rule with only ports, connection.sni or source"
                      + " conditions."
                  : " the rule is enforced without them, as Istio does, so it refuses every"
                      + " connection that its other conditions match.")
              + " HTTP ports are not affected.");
    }
  }

  /**
   * Principals and namespaces are read from the client certificate, which only servers with
   * MUTUAL or ISTIO_MUTUAL ask for: elsewhere such rules silently never match, a classic surprise.
   */
  private void reportUnverifiedIdentities(
      AuthorizationPolicy policy, TreeSet<Integer> unverifiedPorts) {
    for (int r = 0; r < policy.rules().size(); r++) {
      Optional<String> identityField = identityField(policy.rules().get(r));
      String affected = list(reachable(policy.rules().get(r), unverifiedPorts));
      if (identityField.isPresent() && !affected.isEmpty()) {
        diagnostics.warning(
            Subjects.of(policy),
            "spec.rules[" + r + "]." + identityField.get(),
            "matches the client's certificate identity, but port(s) "
                + affected
                + " of this gateway do not require client certificates (plaintext, SIMPLE TLS or"
                + " passthrough): there no identity exists, so principals and namespaces never"
                + " match and their not-forms always do. Set tls.mode ISTIO_MUTUAL on the Gateway"
                + " server, so that client proxies present their mesh identity.");
      }
    }
  }

  private static Optional<String> identityField(AuthorizationPolicy.Rule rule) {
    for (int i = 0; i < rule.from().size(); i++) {
      AuthorizationPolicy.Source s = rule.from().get(i);
      String path = "from[" + i + "].source.";
      if (!s.principals().isEmpty()) {
        return Optional.of(path + "principals");
      } else if (!s.notPrincipals().isEmpty()) {
        return Optional.of(path + "notPrincipals");
      } else if (!s.namespaces().isEmpty()) {
        return Optional.of(path + "namespaces");
      } else if (!s.notNamespaces().isEmpty()) {
        return Optional.of(path + "notNamespaces");
      }
    }
    for (int i = 0; i < rule.when().size(); i++) {
      String key = rule.when().get(i).key();
      if (key.equals("source.principal") || key.equals("source.namespace")) {
        return Optional.of("when[" + i + "]");
      }
    }
    return Optional.empty();
  }

  private static boolean verifiesClientCertificate(FilterChainPlan chain) {
    return chain.tls().map(DownstreamTls::requireClientCertificate).orElse(false);
  }

  /** The numbers of the ports with a chain of that kind, ascending. */
  private static TreeSet<Integer> portsWith(
      ImmutableList<GatewayPort> ports, Predicate<FilterChainPlan> chainKind) {
    TreeSet<Integer> numbers = new TreeSet<>();
    for (GatewayPort port : ports) {
      if (port.chains().stream().anyMatch(chainKind)) {
        numbers.add(port.number());
      }
    }
    return numbers;
  }

  /**
   * Those of {@code ports} a rule can match on: a rule whose every operation names {@code ports},
   * or with a {@code destination.port} condition, never matches elsewhere, so what it cannot see
   * there is no one's concern (no warning for a policy scoped to the mesh port).
   */
  private static TreeSet<Integer> reachable(AuthorizationPolicy.Rule rule, TreeSet<Integer> ports) {
    TreeSet<Integer> out = new TreeSet<>(ports);
    if (!rule.to().isEmpty() && rule.to().stream().noneMatch(o -> o.ports().isEmpty())) {
      Set<Integer> named = new HashSet<>();
      rule.to().forEach(o -> named.addAll(o.ports()));
      out.retainAll(named);
    }
    for (AuthorizationPolicy.Condition c : rule.when()) {
      if (c.key().equals("destination.port") && !c.values().isEmpty()) {
        out.removeIf(p -> !c.values().contains(String.valueOf(p)));
      }
    }
    return out;
  }

  private static String list(TreeSet<Integer> ports) {
    return ports.stream().map(String::valueOf).collect(Collectors.joining(", "));
  }
}
