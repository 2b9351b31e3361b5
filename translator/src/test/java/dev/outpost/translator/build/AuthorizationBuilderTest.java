package dev.outpost.translator.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import dev.outpost.translator.diag.Diagnostic;
import dev.outpost.translator.ir.Authorization;
import dev.outpost.translator.ir.FilterChainPlan;
import dev.outpost.translator.ir.GatewayPort;
import dev.outpost.translator.ir.RbacMatch;
import dev.outpost.translator.ir.RbacPolicy;
import dev.outpost.translator.ir.StringMatch;
import dev.outpost.translator.ir.WeightedDestination;
import dev.outpost.translator.model.AuthorizationPolicy;
import dev.outpost.translator.model.AuthorizationPolicy.Action;
import dev.outpost.translator.model.AuthorizationPolicy.Condition;
import dev.outpost.translator.model.AuthorizationPolicy.Operation;
import dev.outpost.translator.model.AuthorizationPolicy.Rule;
import dev.outpost.translator.model.AuthorizationPolicy.Source;
import dev.outpost.translator.model.ObjectMeta;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Istio's AuthorizationPolicy semantics on a gateway's HTTP and TCP chains. */
class AuthorizationBuilderTest {
  private static final GatewayPort HTTP_80 =
      GatewayPort.plaintextHttp(80, "0.0.0.0", ImmutableList.of(), ImmutableList.of());
  private static final GatewayPort PASSTHROUGH_443 =
      new GatewayPort(
          443,
          "0.0.0.0",
          ImmutableList.of(),
          ImmutableList.of(
              FilterChainPlan.TcpProxy.passthrough(
                  ImmutableList.of(new WeightedDestination("outbound|443||a.example", 100)),
                  ImmutableList.of("a.example"))));

  private final DiagnosticSink diagnostics = new DiagnosticSink();
  private final AuthorizationBuilder builder = new AuthorizationBuilder(diagnostics);

  @Test
  void filtersComeInEnvoysOrderAuditDenyAllowWithIstiosPolicyNames() {
    Authorization authz =
        builder.build(
            ImmutableList.of(
                policy("a-allow", Action.ALLOW, anyRule()),
                policy("b-deny", Action.DENY, anyRule()),
                policy("c-audit", Action.AUDIT, anyRule())),
            ImmutableList.of(HTTP_80));

    assertEquals(
        List.of(Authorization.Action.LOG, Authorization.Action.DENY, Authorization.Action.ALLOW),
        authz.httpFilters().stream().map(Authorization.RbacFilter::action).toList());
    assertEquals(
        "ns[istio-system]-policy[b-deny]-rule[0]",
        authz.httpFilters().get(1).policies().get(0).name());
    assertTrue(authz.tcpFilters().isEmpty(), "no TCP chain, no TCP filter");
  }

  @Test
  void anAllowPolicyWithoutRulesDeniesEverythingAndADenyPolicyWithoutRulesDoesNothing() {
    Authorization authz =
        builder.build(
            ImmutableList.of(policy("allow-nothing", Action.ALLOW), policy("deny-nothing", Action.DENY)),
            ImmutableList.of(HTTP_80));

    assertEquals(1, authz.httpFilters().size());
    assertEquals(Authorization.Action.ALLOW, authz.httpFilters().get(0).action());
    assertTrue(authz.httpFilters().get(0).policies().isEmpty());
  }

  @Test
  void anEmptyRuleMatchesEverything() {
    RbacPolicy rule = onlyHttpPolicy(policy("all", Action.ALLOW, anyRule()));
    assertEquals(new RbacMatch.Any(), rule.permission());
    assertEquals(new RbacMatch.Any(), rule.principal());
  }

  @Test
  void principalFormsFollowIstio() {
    RbacPolicy rule =
        onlyHttpPolicy(
            policy(
                "p",
                Action.ALLOW,
                new Rule(
                    ImmutableList.of(
                        source(
                            List.of(
                                "cluster.local/ns/a/sa/b", "cluster.local/ns/c/*", "*/sa/d", "*"),
                            List.of())),
                    ImmutableList.of(),
                    ImmutableList.of())));

    assertEquals(
        new RbacMatch.Or(
            ImmutableList.of(
                new RbacMatch.PeerIdentity(StringMatch.exact("spiffe://cluster.local/ns/a/sa/b")),
                new RbacMatch.PeerIdentity(StringMatch.prefix("spiffe://cluster.local/ns/c/")),
                new RbacMatch.PeerIdentity(StringMatch.regex("spiffe://.*/sa/d")),
                new RbacMatch.PeerIdentity(StringMatch.regex(".+")))),
        rule.principal());
  }

  @Test
  void namespacesAndNotFormsBecomeRegexesAndNegations() {
    RbacPolicy rule =
        onlyHttpPolicy(
            policy(
                "p",
                Action.ALLOW,
                new Rule(
                    ImmutableList.of(source(List.of(), List.of("pay.ments"))),
                    ImmutableList.of(operation(List.of("api.example.com"), List.of(), List.of("/admin/*"))),
                    ImmutableList.of())));

    assertEquals(
        new RbacMatch.Not(new RbacMatch.PeerIdentity(StringMatch.regex(".*/ns/pay\\.ments/.*"))),
        rule.principal());
    assertEquals(
        new RbacMatch.And(
            ImmutableList.of(
                new RbacMatch.Header(
                    ":authority",
                    Optional.of(StringMatch.regex("(?i)api\\.example\\.com(:[0-9]+)?"))),
                new RbacMatch.Not(new RbacMatch.Path(StringMatch.prefix("/admin/"))))),
        rule.permission());
  }

  @Test
  void onTcpChainsAnAllowRuleWithHttpFieldsIsDroppedAndReported() {
    Authorization authz =
        builder.build(
            ImmutableList.of(
                policy(
                    "paths-only",
                    Action.ALLOW,
                    new Rule(
                        ImmutableList.of(),
                        ImmutableList.of(operation(List.of(), List.of("/a"), List.of())),
                        ImmutableList.of()))),
            ImmutableList.of(HTTP_80, PASSTHROUGH_443));

    assertEquals(1, authz.httpFilters().get(0).policies().size(), "HTTP keeps the rule");
    assertTrue(authz.tcpFilters().get(0).policies().isEmpty(), "TCP: allows nothing");
    Diagnostic d = only(diagnostics.toList());
    assertEquals("spec.rules[0]", d.field());
    assertTrue(d.message().contains("to[0].operation.paths"), d.message());
    assertTrue(d.message().contains("port(s) 443 the rule is left out"), d.message());
  }

  @Test
  void onTcpChainsADenyRuleLosesOnlyItsHttpFields() {
    Authorization authz =
        builder.build(
            ImmutableList.of(
                policy(
                    "deny-get-on-443",
                    Action.DENY,
                    new Rule(
                        ImmutableList.of(),
                        ImmutableList.of(
                            new Operation(
                                ImmutableList.of(),
                                ImmutableList.of(),
                                ImmutableList.of(443),
                                ImmutableList.of(),
                                ImmutableList.of("GET"),
                                ImmutableList.of(),
                                ImmutableList.of(),
                                ImmutableList.of())),
                        ImmutableList.of()))),
            ImmutableList.of(PASSTHROUGH_443));

    assertEquals(
        new RbacMatch.DestinationPort(443),
        authz.tcpFilters().get(0).policies().get(0).permission());
    assertTrue(only(diagnostics.toList()).message().contains("refuses every connection"));
  }

  @Test
  void aRuleScopedToHttpPortsSaysNothingAboutTcpPorts() {
    builder.build(
        ImmutableList.of(
            policy(
                "http-only",
                Action.ALLOW,
                new Rule(
                    ImmutableList.of(source(List.of("cluster.local/ns/a/sa/b"), List.of())),
                    ImmutableList.of(
                        new Operation(
                            ImmutableList.of(), ImmutableList.of(), ImmutableList.of(80),
                            ImmutableList.of(), ImmutableList.of(), ImmutableList.of(),
                            ImmutableList.of("/a"), ImmutableList.of())),
                    ImmutableList.of()))),
        ImmutableList.of(HTTP_80, PASSTHROUGH_443));

    // Only the identity warning for port 80 (plaintext); nothing about 443.
    Diagnostic d = only(diagnostics.toList());
    assertTrue(d.message().contains("port(s) 80 of"), d.message());
  }

  @Test
  void connectionSniAndSourceIpWorkOnTcpChains() {
    Authorization authz =
        builder.build(
            ImmutableList.of(
                policy(
                    "sni",
                    Action.ALLOW,
                    new Rule(
                        ImmutableList.of(),
                        ImmutableList.of(),
                        ImmutableList.of(
                            new Condition("connection.sni", ImmutableList.of("*.example.com"), ImmutableList.of()),
                            new Condition("source.ip", ImmutableList.of("10.0.0.0/8"), ImmutableList.of()))))),
            ImmutableList.of(PASSTHROUGH_443));

    RbacPolicy rule = authz.tcpFilters().get(0).policies().get(0);
    assertEquals(new RbacMatch.ServerName(StringMatch.suffix(".example.com")), rule.permission());
    assertEquals(new RbacMatch.DirectRemoteIp(new RbacMatch.Cidr("10.0.0.0", 8)), rule.principal());
  }

  @Test
  void customIsReportedAndEnforcedAsDeny() {
    Authorization authz =
        builder.build(
            ImmutableList.of(
                new AuthorizationPolicy(
                    meta("ext"),
                    Optional.empty(),
                    ImmutableList.of(),
                    Action.CUSTOM,
                    ImmutableList.of(anyRule()),
                    Optional.of("opa"))),
            ImmutableList.of(HTTP_80));

    assertEquals(Authorization.Action.DENY, authz.httpFilters().get(0).action());
    Diagnostic d = only(diagnostics.toList());
    assertTrue(d.isError());
    assertEquals("spec.action", d.field());
  }

  @Test
  void requestAuthenticationIsUnsupportedAllowDropsDenyBroadens() {
    Rule jwt =
        new Rule(
            ImmutableList.of(),
            ImmutableList.of(),
            ImmutableList.of(
                new Condition("request.auth.claims[iss]", ImmutableList.of("x"), ImmutableList.of())));
    Authorization authz =
        builder.build(
            ImmutableList.of(policy("a", Action.ALLOW, jwt), policy("d", Action.DENY, jwt)),
            ImmutableList.of(HTTP_80));

    assertEquals(Authorization.Action.DENY, authz.httpFilters().get(0).action());
    assertEquals(new RbacMatch.Any(), authz.httpFilters().get(0).policies().get(0).permission());
    assertTrue(authz.httpFilters().get(1).policies().isEmpty(), "the ALLOW rule is left out");
    assertEquals(2, diagnostics.toList().stream().filter(Diagnostic::isError).count());
  }

  @Test
  void identityRulesOnPortsWithoutClientCertificatesAreReported() {
    builder.build(
        ImmutableList.of(
            policy(
                "by-sa",
                Action.DENY,
                new Rule(
                    ImmutableList.of(source(List.of("cluster.local/ns/apps/sa/sleep"), List.of())),
                    ImmutableList.of(),
                    ImmutableList.of()))),
        ImmutableList.of(HTTP_80, PASSTHROUGH_443));

    Diagnostic d = only(diagnostics.toList());
    assertEquals("spec.rules[0].from[0].source.principals", d.field());
    assertTrue(d.message().contains("port(s) 80, 443"), d.message());
  }

  private RbacPolicy onlyHttpPolicy(AuthorizationPolicy policy) {
    Authorization authz = builder.build(ImmutableList.of(policy), ImmutableList.of(HTTP_80));
    return authz.httpFilters().get(0).policies().get(0);
  }

  private static Diagnostic only(List<Diagnostic> diagnostics) {
    assertEquals(1, diagnostics.size(), diagnostics.toString());
    return diagnostics.get(0);
  }

  private static Rule anyRule() {
    return new Rule(ImmutableList.of(), ImmutableList.of(), ImmutableList.of());
  }

  private static AuthorizationPolicy policy(String name, Action action, Rule... rules) {
    return new AuthorizationPolicy(
        meta(name), Optional.empty(), ImmutableList.of(), action, ImmutableList.copyOf(rules), Optional.empty());
  }

  private static ObjectMeta meta(String name) {
    return new ObjectMeta(name, "istio-system", ImmutableSortedMap.of(), ImmutableSortedMap.of(), "test");
  }

  private static Source source(List<String> principals, List<String> notNamespaces) {
    ImmutableList<String> none = ImmutableList.of();
    return new Source(
        ImmutableList.copyOf(principals), none, none, none, none,
        ImmutableList.copyOf(notNamespaces), none, none, none, none);
  }

  private static Operation operation(List<String> hosts, List<String> paths, List<String> notPaths) {
    ImmutableList<String> none = ImmutableList.of();
    return new Operation(
        ImmutableList.copyOf(hosts), none, ImmutableList.of(), ImmutableList.of(), none, none,
        ImmutableList.copyOf(paths), ImmutableList.copyOf(notPaths));
  }
}
