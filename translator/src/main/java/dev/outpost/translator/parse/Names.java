package dev.outpost.translator.parse;

import java.util.Optional;

/** Kubernetes name syntax (DNS-1123), as the API server and Istio check it. */
final class Names {
  // Hand-written matchers for the patterns in the comments: these run for every name of every
  // resource, and java.util.regex allocation showed up when reading 10k files.

  private Names() {}

  /** A DNS-1123 label: namespaces, Gateway names, port names, subset names. */
  static boolean isDns1123Label(String s) {
    return s.length() <= 63 && framed(s, LOWER_ALNUM, LOWER_ALNUM_DASH);
  }

  /** A DNS-1123 subdomain: names of most Kubernetes objects. */
  static boolean isDns1123Subdomain(String s) {
    if (s.isEmpty() || s.length() > 253) {
      return false;
    }
    for (String label : s.split("\\.", -1)) {
      if (!isDns1123Label(label)) {
        return false;
      }
    }
    return true;
  }

  /** One label of a host name; Istio accepts upper case here. */
  static boolean isHostLabel(String s) {
    return s.length() <= 63 && framed(s, ALNUM, ALNUM_DASH);
  }

  /** Why {@code key} is not a valid Kubernetes label key ({@code [prefix/]name}), or empty. */
  static Optional<String> checkLabelKey(String key) {
    int slash = key.indexOf('/');
    String name = slash < 0 ? key : key.substring(slash + 1);
    if (slash >= 0 && !isDns1123Subdomain(key.substring(0, slash))) {
      return Optional.of(
          "label key \""
              + key
              + "\" has an invalid prefix; it must be a DNS subdomain such as example.com");
    }
    if (name.length() > 63 || !framed(name, ALNUM, LABEL_NAME_CHAR)) {
      return Optional.of(
          "label key \""
              + key
              + "\" is invalid: up to 63 letters, digits, '-', '_' or '.', starting and ending with"
              + " a letter or digit");
    }
    return Optional.empty();
  }

  /** Whether {@code value} is a valid Kubernetes label value (may be empty). */
  static boolean isLabelValue(String value) {
    return value.isEmpty() || (value.length() <= 63 && framed(value, ALNUM, LABEL_NAME_CHAR));
  }

  /** An HTTP header name as Istio's validation accepts it. */
  static boolean isHeaderName(String s) {
    return allOf(s, HEADER_NAME_CHAR);
  }

  /** A key of a Secret's data, as Kubernetes accepts it. */
  static boolean isSecretKey(String s) {
    return s.length() <= 253 && allOf(s, SECRET_KEY_CHAR);
  }

  private interface CharClass {
    boolean has(char c);
  }

  /** [a-z0-9] */
  private static final CharClass LOWER_ALNUM = c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');

  /** [-a-z0-9] */
  private static final CharClass LOWER_ALNUM_DASH = c -> c == '-' || LOWER_ALNUM.has(c);

  /** [a-zA-Z0-9] */
  private static final CharClass ALNUM = c -> LOWER_ALNUM.has(c) || (c >= 'A' && c <= 'Z');

  /** [-a-zA-Z0-9] */
  private static final CharClass ALNUM_DASH = c -> c == '-' || ALNUM.has(c);

  /** [-A-Za-z0-9_.] */
  private static final CharClass LABEL_NAME_CHAR = c -> c == '_' || c == '.' || ALNUM_DASH.has(c);

  /** [-_A-Za-z0-9] */
  private static final CharClass HEADER_NAME_CHAR = c -> c == '_' || ALNUM_DASH.has(c);

  /** [-._a-zA-Z0-9] */
  private static final CharClass SECRET_KEY_CHAR = LABEL_NAME_CHAR;

  /** Whether {@code s} matches {@code end(middle*end)?}. */
  private static boolean framed(String s, CharClass end, CharClass middle) {
    int n = s.length();
    if (n == 0 || !end.has(s.charAt(0)) || !end.has(s.charAt(n - 1))) {
      return false;
    }
    for (int i = 1; i < n - 1; i++) {
      if (!middle.has(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code s} matches {@code chars+}. */
  private static boolean allOf(String s, CharClass chars) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (!chars.has(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
