package dev.outpost.translator.parse;

import static dev.outpost.translator.parse.Inputs.assemble;
import static dev.outpost.translator.parse.Inputs.assertDiagnostic;
import static dev.outpost.translator.parse.Inputs.assertNoDiagnostics;
import static dev.outpost.translator.parse.Inputs.assertRejected;
import static dev.outpost.translator.parse.Inputs.errors;
import static dev.outpost.translator.parse.Inputs.lines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import dev.outpost.translator.api.SourceFile;
import dev.outpost.translator.diag.Diagnostic;
import dev.outpost.translator.diag.Severity;
import dev.outpost.translator.model.AuthorizationPolicy;
import dev.outpost.translator.model.AuthorizationPolicy.Action;
import dev.outpost.translator.model.AuthorizationPolicy.Condition;
import dev.outpost.translator.model.AuthorizationPolicy.Operation;
import dev.outpost.translator.model.AuthorizationPolicy.Rule;
import dev.outpost.translator.model.AuthorizationPolicy.Source;
import dev.outpost.translator.model.AuthorizationPolicy.TargetRef;
import dev.outpost.translator.model.ConfigSnapshot;
import dev.outpost.translator.model.WorkloadSelector;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class AuthorizationPolicyParserTest {

  private static String policy(String spec) {
    return """
    apiVersion: security.istio.io/v1
    kind: AuthorizationPolicy
    metadata: {name: egress, namespace: istio-system}
    spec:
    """
        + spec.indent(2);
  }

  /** A policy whose only rule is {@code rule} (indented as a list element). */
  private static String withRule(String rule) {
    return policy("rules:\n- " + rule.strip().indent(2).substring(2));
  }

  private static AuthorizationPolicy only(ConfigSnapshot s) {
    assertEquals(1, s.authorizationPolicies().size(), () -> "one policy expected; " + lines(s));
    return s.authorizationPolicies().get(0);
  }

  @Test
  void readsEveryField() {
    ConfigSnapshot s =
        assemble(
            policy(
                """
                selector:
                  matchLabels: {istio: egressgateway}
                action: DENY
                rules:
                - from:
                  - source:
                      principals: ["cluster.local/ns/apps/sa/web", "cluster.local/ns/ops/*"]
                      notPrincipals: ["*/sa/admin"]
                      requestPrincipals: ["https://issuer.example.com/*"]
                      notRequestPrincipals: ["*"]
                      namespaces: [apps]
                      notNamespaces: ["kube-*"]
                  - source:
                      ipBlocks: [10.0.0.0/8, 192.0.2.7]
                      notIpBlocks: ["10.1.0.0/16"]
                      remoteIpBlocks: ["2001:db8::/32"]
                      notRemoteIpBlocks: ["2001:db8::1"]
                  to:
                  - operation:
                      hosts: [api.example.com, "*.example.org"]
                      notHosts: ["internal.*"]
                      ports: ["443", "8443"]
                      notPorts: ["80"]
                      methods: [GET, HEAD]
                      notMethods: [DELETE]
                      paths: [/v1/*, /status, "*.json", "*"]
                      notPaths: [/admin]
                  when:
                  - key: request.headers[User-Agent]
                    values: ["curl/*"]
                  - key: destination.port
                    notValues: ["9000"]
                  - key: source.ip
                    values: [10.0.0.1/32]
                    notValues: [10.0.0.2]
                  - key: request.auth.claims[groups]
                    values: [admins]
                  - key: experimental.envoy.filters.network.mysql_proxy[db.table]
                    values: ["[update]"]
                """));
    assertNoDiagnostics(s);
    AuthorizationPolicy p = only(s);
    assertEquals("istio-system", p.metadata().namespace());
    assertEquals(
        Optional.of(new WorkloadSelector(ImmutableSortedMap.of("istio", "egressgateway"))),
        p.selector());
    assertEquals(List.of(), p.targetRefs());
    assertEquals(Action.DENY, p.action());
    assertEquals(Optional.empty(), p.provider());
    Rule expected =
        new Rule(
            ImmutableList.of(
                new Source(
                    ImmutableList.of("cluster.local/ns/apps/sa/web", "cluster.local/ns/ops/*"),
                    ImmutableList.of("*/sa/admin"),
                    ImmutableList.of("https://issuer.example.com/*"),
                    ImmutableList.of("*"),
                    ImmutableList.of("apps"),
                    ImmutableList.of("kube-*"),
                    ImmutableList.of(),
                    ImmutableList.of(),
                    ImmutableList.of(),
                    ImmutableList.of()),
                new Source(
                    ImmutableList.of(),
                    ImmutableList.of(),
                    ImmutableList.of(),
                    ImmutableList.of(),
                    ImmutableList.of(),
                    ImmutableList.of(),
                    ImmutableList.of("10.0.0.0/8", "192.0.2.7"),
                    ImmutableList.of("10.1.0.0/16"),
                    ImmutableList.of("2001:db8::/32"),
                    ImmutableList.of("2001:db8::1"))),
            ImmutableList.of(
                new Operation(
                    ImmutableList.of("api.example.com", "*.example.org"),
                    ImmutableList.of("internal.*"),
                    ImmutableList.of(443, 8443),
                    ImmutableList.of(80),
                    ImmutableList.of("GET", "HEAD"),
                    ImmutableList.of("DELETE"),
                    ImmutableList.of("/v1/*", "/status", "*.json", "*"),
                    ImmutableList.of("/admin"))),
            ImmutableList.of(
                new Condition(
                    "request.headers[User-Agent]", ImmutableList.of("curl/*"), ImmutableList.of()),
                new Condition("destination.port", ImmutableList.of(), ImmutableList.of("9000")),
                new Condition(
                    "source.ip", ImmutableList.of("10.0.0.1/32"), ImmutableList.of("10.0.0.2")),
                new Condition(
                    "request.auth.claims[groups]", ImmutableList.of("admins"), ImmutableList.of()),
                new Condition(
                    "experimental.envoy.filters.network.mysql_proxy[db.table]",
                    ImmutableList.of("[update]"),
                    ImmutableList.of())));
    assertEquals(List.of(expected), p.rules());
  }

  @Test
  void everyDocumentedConditionKeyIsAccepted() {
    String keys =
        Stream.of(
                "request.headers[x-token]",
                "source.namespace",
                "source.principal",
                "request.auth.principal",
                "request.auth.audiences",
                "request.auth.presenter",
                "request.auth.claims[iss]",
                "request.auth.claims[nested][key]",
                "connection.sni",
                "experimental.envoy.filters.http.foo[bar]")
            .map(k -> "- key: \"" + k + "\"\n  values: [v]\n")
            .reduce("", String::concat);
    String ips =
        "- {key: remote.ip, values: [\"192.0.2.0/24\"]}\n"
            + "- {key: destination.ip, notValues: [\"::1\"]}\n";
    ConfigSnapshot s = assemble(policy("rules:\n- when:\n" + (keys + ips).indent(2)));
    assertNoDiagnostics(s);
    assertEquals(12, only(s).rules().get(0).when().size());
  }

  @Test
  void defaultsAreAllowWithoutSelectorTargetsRulesOrProvider() {
    ConfigSnapshot s = assemble(policy("{}"));
    assertNoDiagnostics(s);
    AuthorizationPolicy p = only(s);
    assertEquals(Action.ALLOW, p.action());
    assertEquals(Optional.empty(), p.selector());
    assertEquals(List.of(), p.targetRefs());
    assertEquals(List.of(), p.rules(), "no rules: an ALLOW policy that denies everything");
    assertEquals(Optional.empty(), p.provider());
  }

  @Test
  void withoutSpecThePolicyIsTheEmptyOneAsInIstio() {
    ConfigSnapshot s =
        assemble(
            "apiVersion: security.istio.io/v1beta1\nkind: AuthorizationPolicy\n"
                + "metadata: {name: allow-nothing, namespace: apps}\n");
    assertNoDiagnostics(s);
    assertEquals(List.of(), only(s).rules());
    assertEquals(Action.ALLOW, only(s).action());
  }

  @Test
  void rulesAbsentEmptyAndOneEmptyRuleKeepTheirMeaning() {
    AuthorizationPolicy absent = only(assemble(policy("action: ALLOW")));
    AuthorizationPolicy empty = only(assemble(policy("rules: []")));
    ConfigSnapshot oneEmpty = assemble(policy("rules: [{}]"));
    assertNoDiagnostics(oneEmpty);
    assertEquals(List.of(), absent.rules(), "matches nothing");
    assertEquals(List.of(), empty.rules(), "matches nothing");
    assertEquals(
        List.of(new Rule(ImmutableList.of(), ImmutableList.of(), ImmutableList.of())),
        only(oneEmpty).rules(),
        "one rule with no conditions: matches everything");
  }

  @Test
  void emptyFromToAndWhenListsMatchAnything() {
    ConfigSnapshot s = assemble(withRule("{from: [], to: [], when: []}"));
    assertNoDiagnostics(s);
    assertEquals(
        List.of(new Rule(ImmutableList.of(), ImmutableList.of(), ImmutableList.of())),
        only(s).rules());
  }

  @Test
  void readsTargetRefAndTargetRefs() {
    AuthorizationPolicy single =
        only(
            assemble(
                policy(
                    "targetRef: {group: gateway.networking.k8s.io, kind: Gateway, name: egress}")));
    assertEquals(
        List.of(new TargetRef("gateway.networking.k8s.io", "Gateway", "egress", Optional.empty())),
        single.targetRefs());
    assertEquals(Optional.empty(), single.selector());

    ConfigSnapshot list =
        assemble(
            policy(
                """
                targetRefs:
                - {kind: Service, name: web, namespace: istio-system}
                - {group: networking.istio.io, kind: ServiceEntry, name: api}
                """));
    assertNoDiagnostics(list);
    assertEquals(
        List.of(
            new TargetRef("", "Service", "web", Optional.of("istio-system")),
            new TargetRef("networking.istio.io", "ServiceEntry", "api", Optional.empty())),
        only(list).targetRefs());
  }

  @Test
  void customNeedsAProviderAndKeepsIt() {
    ConfigSnapshot s =
        assemble(policy("action: CUSTOM\nprovider: {name: ext-authz}\nrules: [{}]"));
    assertNoDiagnostics(s);
    assertEquals(Action.CUSTOM, only(s).action());
    assertEquals(Optional.of("ext-authz"), only(s).provider());
  }

  @Test
  void auditIsRead() {
    assertEquals(Action.AUDIT, only(assemble(policy("action: AUDIT"))).action());
  }

  static Stream<Arguments> invalidPolicies() {
    return Stream.of(
        Arguments.of(
            "selector: {matchLabels: {app: a}}\ntargetRefs: [{kind: Service, name: a}]",
            "spec.selector",
            "cannot be used together with targetRef or targetRefs"),
        Arguments.of(
            "targetRef: {kind: Service, name: a}\ntargetRefs: [{kind: Service, name: b}]",
            "spec.targetRefs",
            "cannot be used together with targetRef"),
        Arguments.of(
            "targetRefs: [{kind: Service, name: a, namespace: apps}]",
            "spec.targetRefs[0].namespace",
            "\"apps\" is not the policy's namespace \"istio-system\""),
        Arguments.of(
            "targetRef: {group: apps, kind: Deployment, name: a}",
            "spec.targetRef.kind",
            "group \"apps\" kind \"Deployment\" cannot be the target"),
        Arguments.of("targetRefs: [{kind: Service}]", "spec.targetRefs[0].name", "is required"),
        Arguments.of("targetRefs: [{name: a}]", "spec.targetRefs[0].kind", "is required"),
        Arguments.of("action: CUSTOM", "spec.provider.name", "is required with action CUSTOM"),
        Arguments.of(
            "action: CUSTOM\nprovider: {}", "spec.provider.name", "is required with action CUSTOM"),
        Arguments.of(
            "action: DENY\nprovider: {name: x}",
            "spec.provider",
            "is only used with action CUSTOM, but the action is DENY"),
        Arguments.of(
            "provider: {name: x}", "spec.provider", "but the action is ALLOW: remove provider"),
        Arguments.of("action: REJECT", "spec.action", "use one of ALLOW, DENY, AUDIT, CUSTOM"),
        Arguments.of(
            "selector: {matchLabels: {app: \"*\"}}",
            "spec.selector.matchLabels.app",
            "wildcards are not supported"),
        Arguments.of("rules: {from: []}", "spec.rules", "must be a list"),
        Arguments.of("rules: [null]", "spec.rules[0]", "must be an object"));
  }

  @ParameterizedTest
  @MethodSource("invalidPolicies")
  void invalidPolicyIsRejected(String spec, String field, String message) {
    assertRejected(assemble(policy(spec)), field, message);
  }

  static Stream<Arguments> invalidRules() {
    return Stream.of(
        Arguments.of(
            "to: [{operation: {hosts: [\"" + "k".repeat(8_000) + ".example.com\"]}}]",
            "spec.rules[0].to[0].operation.hosts[0]",
            "becomes an RE2 regex in Envoy's RBAC config that is too complex"),
        Arguments.of(
            "when: [{key: source.namespace, values: [\"" + "a".repeat(40_000) + "\"]}]",
            "spec.rules[0].when[0].values[0]",
            "becomes an RE2 regex in Envoy's RBAC config that is 40"),
        Arguments.of(
            "from: [{source: {namespaces: [\"" + "a".repeat(40_000) + "\"]}}]",
            "spec.rules[0].from[0].source.namespaces[0]",
            "characters long, over Outpost's limit of 32768"),
        Arguments.of(
            "from: [{}]", "spec.rules[0].from[0].source", "is required: give the source to match"),
        Arguments.of(
            "from: [{source: {}}]",
            "spec.rules[0].from[0].source",
            "is empty: give at least one of principals, notPrincipals"),
        Arguments.of(
            "from: [{source: {principals: []}}]", "spec.rules[0].from[0].source", "is empty"),
        Arguments.of(
            "to: [{}]", "spec.rules[0].to[0].operation", "is required: give the operation"),
        Arguments.of(
            "to: [{operation: {}}]",
            "spec.rules[0].to[0].operation",
            "is empty: give at least one of hosts, notHosts, ports"),
        Arguments.of(
            "from: [{source: {principals: [a]}}, {source: {principals: [b, c, \"\"]}}]",
            "spec.rules[0].from[1].source.principals[2]",
            "must not be empty"),
        Arguments.of(
            "from: [{source: {principals: [cluster.local/*/sa/web]}}]",
            "spec.rules[0].from[0].source.principals[0]",
            "has \"*\" in the middle or more than once"),
        Arguments.of(
            "from: [{source: {notNamespaces: [\"*a*\"]}}]",
            "spec.rules[0].from[0].source.notNamespaces[0]",
            "\"*a*\" has \"*\" in the middle or more than once"),
        Arguments.of(
            "from: [{source: {notPrincipals: [\"a*b\"]}}]",
            "spec.rules[0].from[0].source.notPrincipals[0]",
            "a prefix match"),
        Arguments.of(
            "from: [{source: {namespaces: [1]}}]",
            "spec.rules[0].from[0].source.namespaces[0]",
            "must be a string, but is a number (1)"),
        Arguments.of(
            "from: [{source: {ipBlocks: [10.0.0.0/33]}}]",
            "spec.rules[0].from[0].source.ipBlocks[0]",
            "has an invalid prefix length"),
        Arguments.of(
            "from: [{source: {notIpBlocks: [example.com]}}]",
            "spec.rules[0].from[0].source.notIpBlocks[0]",
            "is not an IP address or CIDR block"),
        Arguments.of(
            "from: [{source: {remoteIpBlocks: [\"300.0.0.1\"]}}]",
            "spec.rules[0].from[0].source.remoteIpBlocks[0]",
            "is not an IP address"),
        Arguments.of(
            "from: [{source: {notRemoteIpBlocks: [\"::g\"]}}]",
            "spec.rules[0].from[0].source.notRemoteIpBlocks[0]",
            "is not an IP address"),
        Arguments.of(
            "to: [{operation: {hosts: [\"a.*.com\"]}}]",
            "spec.rules[0].to[0].operation.hosts[0]",
            "in the middle"),
        Arguments.of(
            "to: [{operation: {notHosts: [\"\"]}}]",
            "spec.rules[0].to[0].operation.notHosts[0]",
            "must not be empty"),
        Arguments.of(
            "to: [{operation: {ports: [\"0\"]}}]",
            "spec.rules[0].to[0].operation.ports[0]",
            "\"0\" is not a port number; it must be 1-65535"),
        Arguments.of(
            "to: [{operation: {ports: [\"65536\"]}}]",
            "spec.rules[0].to[0].operation.ports[0]",
            "\"65536\" is not a port number"),
        Arguments.of(
            "to: [{operation: {ports: [80]}}]",
            "spec.rules[0].to[0].operation.ports[0]",
            "must be a string, not the number 80; quote it"),
        Arguments.of(
            "to: [{operation: {notPorts: [https]}}]",
            "spec.rules[0].to[0].operation.notPorts[0]",
            "\"https\" is not a port number"),
        Arguments.of(
            "to: [{operation: {paths: [api/v1]}}]",
            "spec.rules[0].to[0].operation.paths[0]",
            "does not start with \"/\""),
        Arguments.of(
            "to: [{operation: {paths: [\"/a/*/b\"]}}]",
            "spec.rules[0].to[0].operation.paths[0]",
            "in the middle"),
        Arguments.of(
            "to: [{operation: {paths: [\"/api/{*}/x\"]}}]",
            "spec.rules[0].to[0].operation.paths[0]",
            "Istio path template ({*} or {**}), which Outpost does not support yet"),
        Arguments.of(
            "to: [{operation: {notPaths: [\"/api/{**}\"]}}]",
            "spec.rules[0].to[0].operation.notPaths[0]",
            "does not support yet"),
        Arguments.of(
            "to: [{operation: {methods: [\"\"]}}]",
            "spec.rules[0].to[0].operation.methods[0]",
            "must not be empty"),
        Arguments.of(
            "when: [{key: request.host, values: [a]}]",
            "spec.rules[0].when[0].key",
            "\"request.host\" is not a condition key Istio knows; use one of"
                + " request.headers[NAME], source.ip, remote.ip, source.namespace,"
                + " source.principal, request.auth.principal, request.auth.audiences,"
                + " request.auth.presenter, request.auth.claims[NAME], destination.ip,"
                + " destination.port, connection.sni, experimental.envoy.filters.*"),
        Arguments.of(
            "when: [{key: \"request.headers[]\", values: [a]}]",
            "spec.rules[0].when[0].key",
            "must name what it reads in brackets, e.g. \"request.headers[User-Agent]\""),
        Arguments.of(
            "when: [{key: \"request.auth.claims[iss\", values: [a]}]",
            "spec.rules[0].when[0].key",
            "e.g. \"request.auth.claims[groups]\""),
        Arguments.of(
            "when: [{key: experimental.envoy.filters., values: [a]}]",
            "spec.rules[0].when[0].key",
            "is not a condition key"),
        Arguments.of("when: [{values: [a]}]", "spec.rules[0].when[0].key", "is required"),
        Arguments.of(
            "when: [{key: source.namespace}]",
            "spec.rules[0].when[0].values",
            "is required (or notValues): a condition on \"source.namespace\""),
        Arguments.of(
            "when: [{key: source.namespace, values: [], notValues: []}]",
            "spec.rules[0].when[0].values",
            "is required (or notValues)"),
        Arguments.of(
            "when: [{key: source.ip, values: [10.0.0.0/8, nope]}]",
            "spec.rules[0].when[0].values[1]",
            "\"nope\" is not an IP address or CIDR block"),
        Arguments.of(
            "when: [{key: destination.ip, notValues: [\"1.2.3\"]}]",
            "spec.rules[0].when[0].notValues[0]",
            "is not an IP address"),
        Arguments.of(
            "when: [{key: destination.port, values: [\"99999\"]}]",
            "spec.rules[0].when[0].values[0]",
            "is not a port number"),
        Arguments.of(
            "when: [{key: source.principal, values: [a, \"\"]}]",
            "spec.rules[0].when[0].values[1]",
            "must not be empty"));
  }

  @ParameterizedTest
  @MethodSource("invalidRules")
  void invalidRuleRejectsThePolicy(String rule, String field, String message) {
    assertRejected(assemble(withRule(rule)), field, message);
  }

  @Test
  void everyErrorIsReportedNotOnlyTheFirst() {
    ConfigSnapshot s =
        assemble(
            withRule(
                """
                from: [{source: {ipBlocks: [bad]}}, {}]
                to: [{operation: {ports: ["0"]}}]
                when: [{key: nope, values: [x]}]
                """));
    assertEquals(
        List.of(
            "spec.rules[0].from[0].source.ipBlocks[0]",
            "spec.rules[0].from[1].source",
            "spec.rules[0].to[0].operation.ports[0]",
            "spec.rules[0].when[0].key"),
        errors(s).stream().map(Diagnostic::field).sorted().toList());
    assertTrue(errors(s).stream().allMatch(d -> d.subject().equals("AuthorizationPolicy istio-system/egress")));
  }

  @Test
  void lowerCaseMethodsAreWarnedAboutAndKept() {
    ConfigSnapshot s = assemble(withRule("to: [{operation: {methods: [GET, post], notMethods: [Put]}}]"));
    assertEquals(0, errors(s).size(), () -> lines(s).toString());
    assertDiagnostic(
        s,
        Severity.WARNING,
        "spec.rules[0].to[0].operation.methods[1]",
        "\"post\" is not upper case, and methods are compared exactly: it never matches a \"POST\""
            + " request; write \"POST\"");
    assertDiagnostic(
        s, Severity.WARNING, "spec.rules[0].to[0].operation.notMethods[0]", "write \"PUT\"");
    assertEquals(
        List.of("GET", "post"), only(s).rules().get(0).to().get(0).methods(), "kept as written");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "actoin: DENY|spec.actoin|did you mean \"action\"?",
        "rules: [{form: []}]|spec.rules[0].form|did you mean \"from\"?",
        "rules: [{from: [{source: {principal: [a]}}]}]|spec.rules[0].from[0].source.principal|did you"
            + " mean \"principals\"?",
        "rules: [{to: [{operation: {path: [/a], hosts: [a]}}]}]|spec.rules[0].to[0].operation.path|did"
            + " you mean \"paths\"?",
        "rules: [{when: [{key: source.ip, value: [1.1.1.1], notValues: [2.2.2.2]}]}]"
            + "|spec.rules[0].when[0].value|did you mean \"values\"?",
        "targetRefs: [{kind: Service, name: a, nmae: b}]|spec.targetRefs[0].nmae|did you mean"
            + " \"name\"?",
      })
  void unknownFieldsAreWarnedAboutWithTheNearestName(String input) {
    String[] parts = input.split("\\|");
    ConfigSnapshot s = assemble(policy(parts[0]));
    assertDiagnostic(s, Severity.WARNING, parts[1], parts[2]);
  }

  @Test
  void anInvalidEditKeepsTheLastGoodVersion() {
    String good = withRule("to: [{operation: {ports: [\"443\"]}}]");
    ConfigSnapshot first = assemble(ConfigSnapshot.EMPTY, new SourceFile("ap.yaml", good));
    ConfigSnapshot second =
        assemble(first, new SourceFile("ap.yaml", good.replace("\"443\"", "\"0\"")));
    assertEquals(first.authorizationPolicies(), second.authorizationPolicies());
    assertEquals(List.of(443), second.authorizationPolicies().get(0).rules().get(0).to().get(0).ports());
    assertDiagnostic(second, Severity.WARNING, "", "last good version (from ap.yaml, document 1)");
  }
}
