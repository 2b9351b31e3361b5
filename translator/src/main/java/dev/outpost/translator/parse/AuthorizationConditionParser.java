package dev.outpost.translator.parse;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.model.AuthorizationPolicy.Condition;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code rules[].when[]}: a key Istio documents, and {@code values} and/or {@code notValues}
 * checked for that key (addresses for the IP keys, port numbers for {@code destination.port}).
 */
final class AuthorizationConditionParser {
  private static final Set<String> IP_KEYS = Set.of("source.ip", "remote.ip", "destination.ip");

  private static final Set<String> PLAIN_KEYS =
      Set.of(
          "source.ip",
          "remote.ip",
          "source.namespace",
          "source.principal",
          "request.auth.principal",
          "request.auth.audiences",
          "request.auth.presenter",
          "destination.ip",
          "destination.port",
          "connection.sni");

  /** For the error message, in the order of Istio's reference. */
  private static final List<String> KNOWN_KEYS =
      List.of(
          "request.headers[NAME]",
          "source.ip",
          "remote.ip",
          "source.namespace",
          "source.principal",
          "request.auth.principal",
          "request.auth.audiences",
          "request.auth.presenter",
          "request.auth.claims[NAME]",
          "destination.ip",
          "destination.port",
          "connection.sni",
          "experimental.envoy.filters.*");

  private static final String HEADERS = "request.headers[";
  private static final String CLAIMS = "request.auth.claims[";
  private static final String FILTERS = "experimental.envoy.filters.";

  private AuthorizationConditionParser() {}

  static ImmutableList<Condition> parse(FieldReader rule) {
    ImmutableList.Builder<Condition> out = ImmutableList.builder();
    for (FieldReader w : rule.objects("when")) {
      String key = w.requiredString("key");
      Optional<String> badKey = key.isEmpty() ? Optional.empty() : checkKey(key);
      badKey.ifPresent(problem -> w.error("key", problem));
      AuthorizationValues.Check check = valueCheck(key);
      ImmutableList<String> values = AuthorizationValues.strings(w, "values", check);
      ImmutableList<String> notValues = AuthorizationValues.strings(w, "notValues", check);
      if (w.isMissingOrEmpty("values") && w.isMissingOrEmpty("notValues")) {
        w.error(
            "values",
            "is required (or notValues): a condition on "
                + (key.isEmpty() ? "a key" : "\"" + key + "\"")
                + " needs the values it must (or must not) have");
      }
      w.finish();
      out.add(new Condition(key, values, notValues));
    }
    return out.build();
  }

  private static AuthorizationValues.Check valueCheck(String key) {
    if (IP_KEYS.contains(key)) {
      return AuthorizationValues.IP_OR_CIDR;
    }
    if (key.equals("destination.port")) {
      return AuthorizationValues.PORT;
    }
    if (key.equals("source.namespace") || key.equals("source.principal")) {
      return AuthorizationValues.REGEX_SIZE; // they become RBAC regexes
    }
    return AuthorizationValues.ANY;
  }

  private static Optional<String> checkKey(String key) {
    if (PLAIN_KEYS.contains(key)) {
      return Optional.empty();
    }
    if (key.startsWith(HEADERS)) {
      return bracketed(key, HEADERS, "request.headers[User-Agent]");
    }
    if (key.startsWith(CLAIMS)) {
      return bracketed(key, CLAIMS, "request.auth.claims[groups]");
    }
    if (key.startsWith(FILTERS) && key.length() > FILTERS.length()) {
      return Optional.empty();
    }
    return Optional.of(
        "\"" + key + "\" is not a condition key Istio knows; use one of "
            + String.join(", ", KNOWN_KEYS));
  }

  /** {@code prefix NAME]}: a name in the brackets, and nothing after them. */
  private static Optional<String> bracketed(String key, String prefix, String example) {
    if (!key.endsWith("]") || key.length() <= prefix.length() + 1) {
      return Optional.of(
          "\"" + key + "\" must name what it reads in brackets, e.g. \"" + example + "\"");
    }
    return Optional.empty();
  }
}
