package dev.outpost.translator.build;

import java.util.Locale;

/**
 * One entry of a Gateway server's {@code hosts}, split into its two parts.
 *
 * @param namespace the namespace whose VirtualServices may bind: a name, or {@code *} for any
 * @param host the host part ({@code *}, {@code *.example.com} or a name), lower-cased: Envoy
 *     matches domains case-insensitively and rejects a route config where two virtual hosts share
 *     a domain up to case, so hosts are compared and named in lower case, as Istio does
 * @param field where it was written, for diagnostics
 */
record ServerHost(String namespace, String host, String field) {

  /**
   * Istio's forms: {@code host} and {@code * /host} (any namespace), {@code ./host} (the Gateway's
   * namespace), {@code ns/host}.
   */
  static ServerHost parse(String written, String gatewayNamespace, String field) {
    int slash = written.indexOf('/');
    if (slash < 0) {
      return new ServerHost("*", written.toLowerCase(Locale.ROOT), field);
    }
    String namespace = written.substring(0, slash);
    String host = written.substring(slash + 1).toLowerCase(Locale.ROOT);
    if (namespace.equals(".")) {
      namespace = gatewayNamespace;
    }
    return new ServerHost(namespace, host, field);
  }

  boolean admitsNamespace(String vsNamespace) {
    return namespace.equals("*") || namespace.equals(vsNamespace);
  }
}
