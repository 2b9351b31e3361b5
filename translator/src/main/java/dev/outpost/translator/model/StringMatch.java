package dev.outpost.translator.model;

import java.util.Objects;

/**
 * Istio {@code StringMatch}: exactly one of exact, prefix or regex (RE2 syntax, already checked).
 * In {@code headers}, {@code withoutHeaders} and {@code queryParams} an empty match ({@code {}})
 * means "present with any value": {@link Type#PRESENT} with an empty value.
 */
public record StringMatch(Type type, String value) {
  public StringMatch {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(value, "value");
  }

  public static StringMatch exact(String value) {
    return new StringMatch(Type.EXACT, value);
  }

  public static StringMatch prefix(String value) {
    return new StringMatch(Type.PREFIX, value);
  }

  public static StringMatch regex(String value) {
    return new StringMatch(Type.REGEX, value);
  }

  /** Which kind of match. */
  public enum Type {
    EXACT,
    PREFIX,
    REGEX,
    /** Only presence is checked (an empty StringMatch); {@code value} is empty. */
    PRESENT
  }
}
