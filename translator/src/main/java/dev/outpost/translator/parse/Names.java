package dev.outpost.translator.parse;

import java.util.Optional;
import java.util.regex.Pattern;

/** Kubernetes name syntax (DNS-1123), as the API server and Istio check it. */
final class Names {
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern LABEL_ANY_CASE =
      Pattern.compile("[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?");
  private static final Pattern HEADER_NAME = Pattern.compile("[-_A-Za-z0-9]+");
  private static final Pattern LABEL_NAME =
      Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
  private static final Pattern SECRET_KEY = Pattern.compile("[-._a-zA-Z0-9]+");

  private Names() {}

  /** A DNS-1123 label: namespaces, Gateway names, port names, subset names. */
  static boolean isDns1123Label(String s) {
    return s.length() <= 63 && LABEL.matcher(s).matches();
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
    return s.length() <= 63 && LABEL_ANY_CASE.matcher(s).matches();
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
    if (name.length() > 63 || !LABEL_NAME.matcher(name).matches()) {
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
    return value.isEmpty() || (value.length() <= 63 && LABEL_NAME.matcher(value).matches());
  }

  /** An HTTP header name as Istio's validation accepts it. */
  static boolean isHeaderName(String s) {
    return HEADER_NAME.matcher(s).matches();
  }

  /** A key of a Secret's data, as Kubernetes accepts it. */
  static boolean isSecretKey(String s) {
    return s.length() <= 253 && SECRET_KEY.matcher(s).matches();
  }
}
