package dev.outpost.translator.parse;

import java.util.regex.Pattern;

/** Kubernetes name syntax (DNS-1123), as the API server and Istio check it. */
final class Names {
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern LABEL_ANY_CASE = Pattern.compile("[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?");
  private static final Pattern HEADER_NAME = Pattern.compile("[-_A-Za-z0-9]+");
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

  /** An HTTP header name as Istio's validation accepts it. */
  static boolean isHeaderName(String s) {
    return HEADER_NAME.matcher(s).matches();
  }

  /** A key of a Secret's data, as Kubernetes accepts it. */
  static boolean isSecretKey(String s) {
    return s.length() <= 253 && SECRET_KEY.matcher(s).matches();
  }
}
