package dev.outpost.translator.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import com.google.re2j.Pattern;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The value lists of AuthorizationPolicy rules ({@code principals}, {@code paths}, {@code ports},
 * {@code when[].values}, ...): every value a non-empty string, checked by the rule for its field.
 * An invalid value is reported and left out.
 */
final class AuthorizationValues {
  private AuthorizationValues() {}

  /** A check of one non-empty value: why it is wrong, or empty. */
  interface Check extends Function<String, Optional<String>> {}

  static final Check ANY = v -> Optional.empty();

  /**
   * Principals, namespaces, hosts: Istio turns a value into an exact, prefix or suffix match, so
   * {@code *} may only be the whole value, its start or its end.
   */
  static final Check WILDCARD = v -> checkWildcard(v).or(() -> checkRegexSize(v));

  /** A value that becomes a regex without other rules (a {@code when} source.namespace). */
  static final Check REGEX_SIZE = AuthorizationValues::checkRegexSize;

  static final Check IP_OR_CIDR = AddressValidator::checkIpOrCidr;

  /** Paths: {@code /}-rooted, or a {@code *} form; Istio's path templates are not supported yet. */
  static final Check PATH =
      v -> {
        if (v.contains("{*}") || v.contains("{**}")) {
          return Optional.of(
              "\""
                  + v
                  + "\" is an Istio path template ({*} or {**}), which Outpost does not support yet;"
                  + " use an exact path, a prefix (\"/api/*\") or a suffix (\"*.html\")");
        }
        Optional<String> wildcard = checkWildcard(v);
        if (wildcard.isPresent()) {
          return wildcard;
        }
        if (!v.startsWith("/") && !v.startsWith("*")) {
          return Optional.of(
              "\"" + v + "\" does not start with \"/\": a request path always does, so it would"
                  + " never match; write \"/" + v + "\"");
        }
        return Optional.empty();
      };

  static final Check PORT = v -> port(v).isPresent() ? Optional.empty() : Optional.of(portError(v));

  /** A list of string values, each checked; the valid ones, in order. */
  static ImmutableList<String> strings(FieldReader r, String field, Check check) {
    ImmutableList.Builder<String> out = ImmutableList.builder();
    for (FieldReader.Element e : r.elements(field)) {
      Optional<String> value = r.asString(e.node(), e.path());
      if (value.isEmpty()) {
        continue; // not a string: reported
      }
      if (value.get().isEmpty()) {
        r.findings().error(e.path(), "must not be empty: remove the empty value from the list");
        continue;
      }
      Optional<String> problem = check.apply(value.get());
      if (problem.isPresent()) {
        r.findings().error(e.path(), problem.get());
      } else {
        out.add(value.get());
      }
    }
    return out.build();
  }

  /** {@code methods}: Envoy compares them exactly, so lower case is warned about (and kept). */
  static ImmutableList<String> methods(FieldReader r, String field) {
    ImmutableList<String> methods = strings(r, field, ANY);
    for (int i = 0; i < methods.size(); i++) {
      String m = methods.get(i);
      String upper = m.toUpperCase(Locale.ROOT);
      if (!m.equals(upper)) {
        r.findings()
            .warning(
                r.path(field) + "[" + i + "]",
                "\""
                    + m
                    + "\" is not upper case, and methods are compared exactly: it never matches a \""
                    + upper
                    + "\" request; write \""
                    + upper
                    + "\"");
      }
    }
    return methods;
  }

  /** {@code ports}: strings in Istio's schema, numbers accepted too; 1-65535. */
  static ImmutableList<Integer> ports(FieldReader r, String field) {
    ImmutableList.Builder<Integer> out = ImmutableList.builder();
    for (FieldReader.Element e : r.elements(field)) {
      JsonNode n = e.node();
      if (n.isIntegralNumber()) {
        // Istio's CRD schema types ports as strings: the API server refuses a number here, as
        // it refuses "80" where an integer is due (FieldReader), so a file says so too.
        r.findings().error(e.path(), "must be a string, not the number " + n.asText() + "; quote it (\"" + n.asText() + "\"), as Istio's schema requires");
        continue;
      }
      Optional<String> text = r.asString(n, e.path());
      if (text.isEmpty()) {
        continue; // not a string: reported
      }
      Optional<Integer> port = port(text.get());
      if (port.isPresent()) {
        out.add(port.get());
      } else {
        r.findings().error(e.path(), portError(text.get()));
      }
    }
    return out.build();
  }

  private static Optional<Integer> port(String v) {
    if (!v.matches("[0-9]{1,5}")) {
      return Optional.empty();
    }
    int port = Integer.parseInt(v);
    return port >= 1 && port <= 65535 ? Optional.of(port) : Optional.empty();
  }

  private static String portError(String v) {
    return "\"" + v + "\" is not a port number; it must be 1-65535, e.g. \"443\"";
  }

  /**
   * Principals, namespaces and hosts become RE2 regexes in Envoy's RBAC config (a host as {@code
   * (?i)<value>(:[0-9]+)?}, a namespace or suffix as {@code .*<value>...}): the value, quoted,
   * must stay within the regex limits, or Envoy would refuse the whole listener.
   */
  private static Optional<String> checkRegexSize(String v) {
    return RegexLimits.reason("(?i).*" + Pattern.quote(v) + ".*(:[0-9]+)?", RegexLimits.MAX_PROGRAM_SIZE)
        .map(reason -> RegexLimits.quote(v) + " becomes an RE2 regex in Envoy's RBAC config that " + reason);
  }

  private static Optional<String> checkWildcard(String v) {
    int star = v.indexOf('*');
    if (star < 0 || v.equals("*")) {
      return Optional.empty();
    }
    boolean single = star == v.lastIndexOf('*');
    if (single && (star == 0 || star == v.length() - 1)) {
      return Optional.empty();
    }
    return Optional.of(
        "\""
            + v
            + "\" has \"*\" in the middle or more than once: Istio matches \"*\" only as the whole"
            + " value, a prefix match (\"abc*\") or a suffix match (\"*abc\")");
  }
}
