package dev.outpost.it.policy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * deploy/examples/policy, the manifests the README's policy section tells users to apply. The
 * end-to-end tests take their AuthorizationPolicies and the EnvoyFilter from these files as they
 * are, so the examples are what is proven; only the addresses and ports around them are the tests'
 * own ({@link PolicyManifests}). The names below are the ones the example files use.
 */
final class PolicyExamples {
  static final Path DIR =
      Path.of(System.getProperty("outpost.deploy", "../deploy")).toAbsolutePath().normalize().resolve("examples/policy");

  static final String EGRESS = "egress.yaml";
  static final String ALLOW_NAMESPACE = "allow-namespace.yaml";
  static final String DENY_PATH = "deny-path.yaml";
  static final String RATE_LIMIT = "ratelimit.yaml";
  static final String SNI_ALLOW = "sni-allow.yaml";

  /** Where every policy of the examples lives: the gateway's (root) namespace. */
  static final String POLICY_NAMESPACE = "istio-system";
  static final String PAYMENTS_API = "api.payments.example";
  static final String PAYMENTS = "payments";
  static final String APPS = "apps";
  /** allow-namespace.yaml: namespace payments to {@link #PAYMENTS_API}. */
  static final String ALLOW_PAYMENTS_POLICY = "allow-payments-api";
  /** deny-path.yaml: cluster.local/ns/apps/sa/sleep on /admin/*. */
  static final String DENY_ADMIN_POLICY = "deny-admin-for-sleep";
  /** sni-allow.yaml: connection.sni {@link #PARTNER_ALLOWED}. */
  static final String ALLOW_PARTNER_POLICY = "allow-partner-downloads";
  /** sni-allow.yaml: routed by the passthrough server, allowed by the policy. */
  static final String PARTNER_ALLOWED = "downloads.partner.example";
  /** sni-allow.yaml: routed by the passthrough server too, but no ALLOW rule matches it. */
  static final String PARTNER_DENIED = "uploads.partner.example";
  /** ratelimit.yaml: the token bucket's size (max_tokens, also tokens_per_fill every 60 s). */
  static final int RATE_LIMIT_TOKENS = 4;
  static final String RATE_LIMIT_HEADER = "x-local-rate-limit";

  private static final Pattern SEPARATOR = Pattern.compile("(?m)^---\\s*$");
  private static final Pattern KIND = Pattern.compile("(?m)^kind:\\s*(\\S+)\\s*$");

  private PolicyExamples() {}

  /**
   * Istio's name for one rule of a policy in {@link #POLICY_NAMESPACE}, as it appears in Envoy's
   * RBAC policies and in {@code rbac_access_denied_matched_policy[...]}.
   */
  static String ruleName(String policy, int rule) {
    return "ns[" + POLICY_NAMESPACE + "]-policy[" + policy + "]-rule[" + rule + "]";
  }

  /** A file of the example as it is. */
  static String file(String name) {
    try {
      return Files.readString(DIR.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException("deploy/examples/policy/" + name + " (outpost.deploy=" + DIR + ")", e);
    }
  }

  /**
   * The YAML documents of those kinds in that file, as written: a test takes a file's policies
   * without the Gateway or ServiceEntry next to them (whose addresses are not the test's).
   */
  static String documents(String name, String... kinds) {
    List<String> wanted = List.of(kinds);
    List<String> found = new ArrayList<>();
    for (String document : SEPARATOR.split(file(name))) {
      Matcher kind = KIND.matcher(document);
      if (kind.find() && wanted.contains(kind.group(1))) {
        found.add(document.strip());
      }
    }
    if (found.isEmpty()) {
      throw new AssertionError("no " + wanted + " in deploy/examples/policy/" + name);
    }
    return String.join("\n---\n", found) + "\n";
  }

  /** The AuthorizationPolicies and EnvoyFilters of an example file: what a test applies from it. */
  static String policies(String name) {
    return documents(name, "AuthorizationPolicy", "EnvoyFilter");
  }
}
