package dev.outpost.translator.build;

import java.util.Optional;

/**
 * Host name rules shared by Gateway, VirtualService, ServiceEntry and DestinationRule, as Istio
 * applies them: {@code *} and {@code *.suffix} wildcards, short names qualified with a namespace.
 */
final class Hosts {
  private Hosts() {}

  /** Istio's default DNS domain for short names. */
  static final String CLUSTER_DOMAIN = "svc.cluster.local";

  /**
   * A host written without dots (a Kubernetes short name) means {@code
   * name.NAMESPACE.svc.cluster.local} in the namespace of the resource that wrote it; anything else
   * is already a full name.
   */
  static String qualify(String host, String namespace) {
    if (host.equals("*") || host.contains(".")) {
      return host;
    }
    return host + "." + namespace + "." + CLUSTER_DOMAIN;
  }

  static boolean isWildcard(String host) {
    return host.startsWith("*");
  }

  /** Does pattern (exact or wildcard) cover host (exact or wildcard)? */
  static boolean covers(String pattern, String host) {
    if (pattern.equals("*")) {
      return true;
    }
    if (pattern.startsWith("*.")) {
      String suffix = pattern.substring(1); // ".example.com"
      if (host.startsWith("*.")) {
        return host.substring(1).endsWith(suffix);
      }
      return host.endsWith(suffix) && host.length() > suffix.length();
    }
    return pattern.equals(host);
  }

  /**
   * The hosts both sides accept, as Istio's gateway merge computes them: the more specific of the
   * two when one covers the other, nothing otherwise.
   */
  static Optional<String> intersect(String a, String b) {
    if (covers(a, b)) {
      return Optional.of(b);
    }
    if (covers(b, a)) {
      return Optional.of(a);
    }
    return Optional.empty();
  }
}
