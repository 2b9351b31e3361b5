package dev.outpost.translator.parse;

import com.google.common.collect.ImmutableSortedMap;
import dev.outpost.translator.model.StringMatch;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Reads Istio {@code StringMatch} values: exactly one of exact, prefix, regex (RE2-checked). */
final class StringMatches {
  private StringMatches() {}

  /** A StringMatch field where an empty match is an error (uri, scheme, method, authority). */
  static Optional<StringMatch> single(FieldReader r, String field) {
    return r.object(field).flatMap(m -> read(m, false, true));
  }

  /** The StringMatch that {@code m} itself is (must not be empty). */
  static Optional<StringMatch> one(FieldReader m) {
    return read(m, false, true);
  }

  /**
   * A map of name to StringMatch (headers, withoutHeaders, queryParams). {@code {}} means
   * "present". Names are lower-cased when {@code headerNames} (HTTP header names are
   * case-insensitive and Envoy matches them in lower case).
   */
  static ImmutableSortedMap<String, StringMatch> map(
      FieldReader r, String field, boolean headerNames, boolean allowPrefix) {
    ImmutableSortedMap.Builder<String, StringMatch> out = ImmutableSortedMap.naturalOrder();
    Set<String> seen = new HashSet<>();
    for (FieldReader.Element e : r.entries(field)) {
      String name = headerNames ? e.key().toLowerCase(Locale.ROOT) : e.key();
      if (headerNames && !Names.isHeaderName(name)) {
        r.findings()
            .error(
                e.path(),
                "\"" + e.key() + "\" is not a valid header name (letters, digits, '-' and '_')");
        continue;
      }
      if (name.isEmpty()) {
        r.findings().error(e.path(), "name must not be empty");
        continue;
      }
      if (!seen.add(name)) {
        r.findings()
            .error(
                e.path(),
                "\"" + e.key() + "\" is listed twice (header names are case-insensitive)");
        continue;
      }
      FieldReader.of(e.node(), e.path(), r.findings())
          .flatMap(m -> read(m, true, allowPrefix))
          .ifPresent(m -> out.put(name, m));
    }
    return out.build();
  }

  private static Optional<StringMatch> read(
      FieldReader m, boolean allowEmpty, boolean allowPrefix) {
    Optional<String> exact = m.string("exact");
    Optional<String> prefix = m.string("prefix");
    Optional<String> regex = m.string("regex");
    m.finish();
    int count =
        (exact.isPresent() ? 1 : 0) + (prefix.isPresent() ? 1 : 0) + (regex.isPresent() ? 1 : 0);
    if (count > 1) {
      m.findings().error(m.path(), "set only one of exact, prefix or regex");
      return Optional.empty();
    }
    if (count == 0) {
      if (allowEmpty) {
        return Optional.of(new StringMatch(StringMatch.Type.PRESENT, ""));
      }
      m.findings().error(m.path(), "set one of exact, prefix or regex");
      return Optional.empty();
    }
    if (prefix.isPresent()) {
      if (!allowPrefix) {
        m.error("prefix", "prefix matching is not supported here; use exact or regex");
        return Optional.empty();
      }
      return Optional.of(StringMatch.prefix(prefix.get()));
    }
    if (regex.isPresent()) {
      Optional<String> problem = RegexValidator.check(regex.get());
      if (problem.isPresent()) {
        m.error("regex", problem.get());
        return Optional.empty();
      }
      return Optional.of(StringMatch.regex(regex.get()));
    }
    return Optional.of(StringMatch.exact(exact.get()));
  }
}
