package dev.outpost.translator.parse;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.model.AuthorizationPolicy.Condition;
import dev.outpost.translator.model.AuthorizationPolicy.Operation;
import dev.outpost.translator.model.AuthorizationPolicy.Rule;
import dev.outpost.translator.model.AuthorizationPolicy.Source;
import java.util.List;
import java.util.Optional;

/**
 * Reads an AuthorizationPolicy's {@code rules[]}: {@code from[].source}, {@code to[].operation}
 * and {@code when[]} (the last by {@link AuthorizationConditionParser}), with Istio's checks.
 *
 * <p>{@code rules} absent and {@code rules: []} both read as no rules (the policy matches nothing);
 * {@code rules: [{}]} is one rule that matches everything. Those are Istio's semantics and the
 * translator relies on them, so nothing here turns one into the other.
 */
final class AuthorizationRuleParser {
  private static final List<String> SOURCE_FIELDS =
      List.of(
          "principals",
          "notPrincipals",
          "requestPrincipals",
          "notRequestPrincipals",
          "namespaces",
          "notNamespaces",
          "ipBlocks",
          "notIpBlocks",
          "remoteIpBlocks",
          "notRemoteIpBlocks");

  private static final List<String> OPERATION_FIELDS =
      List.of("hosts", "notHosts", "ports", "notPorts", "methods", "notMethods", "paths", "notPaths");

  private AuthorizationRuleParser() {}

  static ImmutableList<Rule> parse(FieldReader spec) {
    ImmutableList.Builder<Rule> out = ImmutableList.builder();
    for (FieldReader r : spec.objects("rules")) {
      ImmutableList<Source> from = from(r);
      ImmutableList<Operation> to = to(r);
      ImmutableList<Condition> when = AuthorizationConditionParser.parse(r);
      r.finish();
      out.add(new Rule(from, to, when));
    }
    return out.build();
  }

  private static ImmutableList<Source> from(FieldReader rule) {
    ImmutableList.Builder<Source> out = ImmutableList.builder();
    for (FieldReader f : rule.objects("from")) {
      required(f, "source", SOURCE_FIELDS)
          .map(AuthorizationRuleParser::source)
          .ifPresent(out::add);
      f.finish();
    }
    return out.build();
  }

  private static ImmutableList<Operation> to(FieldReader rule) {
    ImmutableList.Builder<Operation> out = ImmutableList.builder();
    for (FieldReader t : rule.objects("to")) {
      required(t, "operation", OPERATION_FIELDS)
          .map(AuthorizationRuleParser::operation)
          .ifPresent(out::add);
      t.finish();
    }
    return out.build();
  }

  /**
   * {@code from[].source} or {@code to[].operation}: Istio refuses the entry without it, or with it
   * empty (an empty source would read as "any source", which is what leaving out the whole entry
   * says).
   */
  private static Optional<FieldReader> required(
      FieldReader entry, String field, List<String> fields) {
    if (!entry.has(field)) {
      entry.error(
          field,
          "is required: give the " + field + " to match (" + String.join(", ", fields)
              + "), or remove this entry to match any " + field);
      return Optional.empty();
    }
    Optional<FieldReader> reader = entry.object(field);
    if (reader.isPresent() && fields.stream().allMatch(reader.get()::isMissingOrEmpty)) {
      entry.error(
          field,
          "is empty: give at least one of " + String.join(", ", fields)
              + ", or remove this entry to match any " + field);
    }
    return reader;
  }

  private static Source source(FieldReader s) {
    Source source =
        new Source(
            AuthorizationValues.strings(s, "principals", AuthorizationValues.WILDCARD),
            AuthorizationValues.strings(s, "notPrincipals", AuthorizationValues.WILDCARD),
            AuthorizationValues.strings(s, "requestPrincipals", AuthorizationValues.WILDCARD),
            AuthorizationValues.strings(s, "notRequestPrincipals", AuthorizationValues.WILDCARD),
            AuthorizationValues.strings(s, "namespaces", AuthorizationValues.WILDCARD),
            AuthorizationValues.strings(s, "notNamespaces", AuthorizationValues.WILDCARD),
            AuthorizationValues.strings(s, "ipBlocks", AuthorizationValues.IP_OR_CIDR),
            AuthorizationValues.strings(s, "notIpBlocks", AuthorizationValues.IP_OR_CIDR),
            AuthorizationValues.strings(s, "remoteIpBlocks", AuthorizationValues.IP_OR_CIDR),
            AuthorizationValues.strings(s, "notRemoteIpBlocks", AuthorizationValues.IP_OR_CIDR));
    s.finish();
    return source;
  }

  private static Operation operation(FieldReader o) {
    Operation operation =
        new Operation(
            AuthorizationValues.strings(o, "hosts", AuthorizationValues.WILDCARD),
            AuthorizationValues.strings(o, "notHosts", AuthorizationValues.WILDCARD),
            AuthorizationValues.ports(o, "ports"),
            AuthorizationValues.ports(o, "notPorts"),
            AuthorizationValues.methods(o, "methods"),
            AuthorizationValues.methods(o, "notMethods"),
            AuthorizationValues.strings(o, "paths", AuthorizationValues.PATH),
            AuthorizationValues.strings(o, "notPaths", AuthorizationValues.PATH));
    o.finish();
    return operation;
  }
}
