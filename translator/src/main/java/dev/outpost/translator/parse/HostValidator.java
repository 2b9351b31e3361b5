package dev.outpost.translator.parse;

import java.util.Optional;

/**
 * Host name syntax as Istio validates it: DNS-1123 names (FQDN or short name), a leading {@code *.}
 * wildcard, {@code *} alone where allowed, and {@code namespace/host} on Gateway servers.
 */
final class HostValidator {
  private HostValidator() {}

  /**
   * A host with an optional leading wildcard ({@code *.example.com}) or, if {@code allowStar},
   * {@code *} alone. Returns why it is invalid, or empty.
   */
  static Optional<String> checkWildcardHost(String host, boolean allowStar) {
    if (host.equals("*")) {
      return allowStar ? Optional.empty() : Optional.of("\"*\" (any host) is not allowed here");
    }
    String rest = host.startsWith("*.") ? host.substring(2) : host;
    if (rest.contains("*")) {
      return Optional.of(
          "\""
              + host
              + "\" is not a valid host: a wildcard is only allowed as the whole first label, as in"
              + " *.example.com");
    }
    return checkName(host, rest);
  }

  /** A host that must be a concrete name: no wildcard at all (destinations, tunnel targets). */
  static Optional<String> checkConcreteHost(String host) {
    if (host.contains("*")) {
      return Optional.of(
          "\"" + host + "\" is not allowed: a wildcard cannot be used here; name one host");
    }
    return checkName(host, host);
  }

  /**
   * A Gateway server host: {@code host} or {@code namespace/host}, where namespace is a name,
   * {@code *} (any) or {@code .} (the Gateway's own), and host may be {@code *}.
   */
  static Optional<String> checkNamespacedHost(String value) {
    int slash = value.indexOf('/');
    if (slash < 0) {
      return checkWildcardHost(value, true);
    }
    String namespace = value.substring(0, slash);
    String host = value.substring(slash + 1);
    if (!namespace.equals("*") && !namespace.equals(".") && !Names.isDns1123Label(namespace)) {
      return Optional.of(
          "\""
              + value
              + "\": the namespace part \""
              + namespace
              + "\" must be a namespace name, \"*\" or \".\"");
    }
    return checkWildcardHost(host, true);
  }

  /**
   * A Sidecar egress host: {@code namespace/dnsName}, always with the namespace (Istio refuses a
   * bare host here, unlike on Gateways). The namespace is {@code *} (any), {@code .} (the
   * Sidecar's own), {@code ~} (none) or a namespace name; dnsName is exact, {@code *.suffix} or
   * {@code *}.
   */
  static Optional<String> checkSidecarHost(String value) {
    int slash = value.indexOf('/');
    if (slash < 0) {
      return Optional.of(
          "\""
              + value
              + "\" has no namespace: a Sidecar host is namespace/dnsName; write \"*/"
              + value
              + "\" (from any namespace) or \"./"
              + value
              + "\" (from the Sidecar's own namespace)");
    }
    String namespace = value.substring(0, slash);
    String host = value.substring(slash + 1);
    if (namespace.isEmpty() || host.isEmpty()) {
      return Optional.of(
          "\"" + value + "\": the namespace and the dnsName around \"/\" must not be empty");
    }
    boolean special = namespace.equals("*") || namespace.equals(".") || namespace.equals("~");
    if (!special && !Names.isDns1123Label(namespace)) {
      return Optional.of(
          "\""
              + value
              + "\": the namespace part \""
              + namespace
              + "\" must be a namespace name, \"*\", \".\" or \"~\"");
    }
    return checkWildcardHost(host, true);
  }

  private static Optional<String> checkName(String original, String name) {
    if (name.isEmpty()) {
      return Optional.of("host must not be empty");
    }
    if (original.length() > 255) {
      return Optional.of("\"" + original + "\" is longer than 255 characters");
    }
    if (name.endsWith(".")) {
      return Optional.of("\"" + original + "\" ends with a dot; remove the trailing dot");
    }
    for (String label : name.split("\\.", -1)) {
      if (!Names.isHostLabel(label)) {
        return Optional.of(
            "\""
                + original
                + "\" is not a valid host name: \""
                + label
                + "\" is not a DNS label (letters, digits and '-', 1-63 characters, not starting or"
                + " ending with '-')");
      }
    }
    return Optional.empty();
  }
}
