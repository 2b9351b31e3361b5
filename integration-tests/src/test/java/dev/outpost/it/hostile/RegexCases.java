package dev.outpost.it.hostile;

import static dev.outpost.it.hostile.CaseFiles.text;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.List;

/**
 * Regexes that pass as regexes but that RE2 (Outpost's RE2J, Envoy's RE2) cannot take: a nested
 * repetition whose program has 10^12 instructions, one of 10^6, a hundred bounded wildcards, a
 * 200,000-character literal. Everywhere Outpost accepts or builds a regex: VirtualService matches
 * (uri, header, authority, query parameter), AuthorizationPolicy values it turns into regexes
 * (hosts, principals, namespaces with wildcards), an EnvoyFilter route added with safe_regex. Each
 * must be refused with a diagnostic naming the resource and field, and without echoing 200 KB.
 */
final class RegexCases {
  private RegexCases() {}

  record Bomb(String label, String regex, boolean heavy) {}

  static final List<Bomb> BOMBS =
      List.of(
          new Bomb("nested-1000-four-deep", "(((a{1000}){1000}){1000}){1000}", true),
          new Bomb("nested-1000-two-deep", "(a{1000}){1000}", false),
          new Bomb("dot-0-1000-times-100", ".{0,1000}".repeat(100), false),
          new Bomb("literal-200000", "a".repeat(200_000), true));

  static List<HostileCase> cases() {
    List<HostileCase> cases = new ArrayList<>();
    String vs = Manifests.VIRTUAL_SERVICE.yaml();
    for (Bomb bomb : BOMBS) {
      String quoted = "'" + bomb.regex() + "'";
      cases.add(mark(bomb, HostileCase.file("regex", "vs-uri-" + bomb.label(),
          text(vs.replace("uri: {prefix: /api}", "uri: {regex: " + quoted + "}")),
          Manifests.VIRTUAL_SERVICE.subject() + ":", "spec.http[0].match[0].uri")));
      if (!bomb.heavy()) { // the heavy ones once per kind of place: each costs its timeout until fixed
        cases.add(mark(bomb, HostileCase.file("regex", "vs-header-" + bomb.label(),
            text(vs.replace("x-env: {exact: prod}", "x-env: {regex: " + quoted + "}")),
            Manifests.VIRTUAL_SERVICE.subject() + ":", "spec.http[0].match[0].headers")));
        cases.add(mark(bomb, HostileCase.file("regex", "vs-authority-" + bomb.label(),
            text(vs.replace("uri: {prefix: /api}", "authority: {regex: " + quoted + "}")),
            Manifests.VIRTUAL_SERVICE.subject() + ":", "spec.http[0].match[0].authority")));
        cases.add(mark(bomb, HostileCase.file("regex", "vs-query-param-" + bomb.label(),
            text(vs.replace("uri: {prefix: /api}", "queryParams: {q: {regex: " + quoted + "}}")),
            Manifests.VIRTUAL_SERVICE.subject() + ":", "spec.http[0].match[0].queryParams")));
      }
      cases.add(mark(bomb, HostileCase.file("regex", "envoyfilter-route-safe-regex-" + bomb.label(),
          text(envoyFilterRoute(quoted)), "EnvoyFilter istio-system/hostile-regex:", "spec.configPatches[0]")));
      cases.add(mark(bomb, HostileCase.kubernetes("regex", "vs-uri-" + bomb.label(),
          ImmutableList.of(vs.replace("uri: {prefix: /api}", "uri: {regex: " + quoted + "}")),
          Manifests.VIRTUAL_SERVICE.subject() + ":", "spec.http[0].match[0].uri")));
    }
    String ap = Manifests.AUTHORIZATION_POLICY.yaml();
    String literal = "a".repeat(200_000);
    cases.add(HostileCase.file("regex", "authz-host-wildcard-200000", text(ap.replace("hosts: [hostile.example.com]", "hosts: ['*." + literal + "']")),
        Manifests.AUTHORIZATION_POLICY.subject() + ":", "spec.rules[0].to[0].operation.hosts[0]").needing(Needs.REGEX_LIMITS));
    cases.add(HostileCase.file("regex", "authz-principal-wildcards-200000",
        text(ap.replace("ipBlocks: [203.0.113.0/24]", "principals: ['*" + literal + "*']")),
        Manifests.AUTHORIZATION_POLICY.subject() + ":", "spec.rules[0].from[0].source.principals[0]").needing(Needs.REGEX_LIMITS));
    cases.add(HostileCase.file("regex", "authz-namespace-wildcards-200000",
        text(ap.replace("ipBlocks: [203.0.113.0/24]", "namespaces: ['*" + literal + "*']")),
        Manifests.AUTHORIZATION_POLICY.subject() + ":", "spec.rules[0].from[0].source.namespaces[0]").needing(Needs.REGEX_LIMITS));
    return cases;
  }

  private static HostileCase mark(Bomb bomb, HostileCase c) {
    HostileCase marked = c.needing(Needs.REGEX_LIMITS);
    return bomb.heavy() ? marked.asHeavy() : marked;
  }

  /** An EnvoyFilter that adds a virtual host whose one route matches the regex. */
  static String envoyFilterRoute(String quotedRegex) {
    return """
        apiVersion: networking.istio.io/v1alpha3
        kind: EnvoyFilter
        metadata: {name: hostile-regex, namespace: istio-system}
        spec:
          workloadSelector: {labels: {istio: egressgateway}}
          configPatches:
          - applyTo: VIRTUAL_HOST
            match: {context: GATEWAY}
            patch:
              operation: ADD
              value:
                name: regex-vh
                domains: [regex.example.com]
                routes:
                - match: {safe_regex: {regex: %s}}
                  direct_response: {status: 200}
        """.formatted(quotedRegex);
  }
}
