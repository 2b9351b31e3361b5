package dev.outpost.translator.ir;

import java.util.Objects;

/**
 * A string comparison as Istio's {@code StringMatch}: exact, prefix, suffix or RE2 regex.
 *
 * @param ignoreCase compare case-insensitively (Istio's {@code ignoreUriCase} for paths)
 */
public record StringMatch(Kind kind, String value, boolean ignoreCase) {
  public enum Kind {
    EXACT,
    PREFIX,
    /** Only in authorization rules: Envoy's route path match has no suffix form. */
    SUFFIX,
    REGEX
  }

  public StringMatch {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(value, "value");
  }

  public static StringMatch exact(String value) {
    return new StringMatch(Kind.EXACT, value, false);
  }

  public static StringMatch prefix(String value) {
    return new StringMatch(Kind.PREFIX, value, false);
  }

  public static StringMatch suffix(String value) {
    return new StringMatch(Kind.SUFFIX, value, false);
  }

  public static StringMatch regex(String value) {
    return new StringMatch(Kind.REGEX, value, false);
  }
}
