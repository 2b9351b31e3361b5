package dev.outpost.translator.build;

/**
 * One entry of a Gateway server's {@code hosts}, split into its two parts.
 *
 * @param namespace the namespace whose VirtualServices may bind: a name, or {@code *} for any
 * @param host the host part ({@code *}, {@code *.example.com} or a name)
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
      return new ServerHost("*", written, field);
    }
    String namespace = written.substring(0, slash);
    String host = written.substring(slash + 1);
    if (namespace.equals(".")) {
      namespace = gatewayNamespace;
    }
    return new ServerHost(namespace, host, field);
  }

  boolean admitsNamespace(String vsNamespace) {
    return namespace.equals("*") || namespace.equals(vsNamespace);
  }
}
