package dev.outpost.translator.build;

/**
 * Istio's resolution of a VirtualService {@code gateways} entry to {@code namespace/name}: a short
 * name is in the VirtualService's namespace, {@code ns/name} is explicit, and the legacy FQDN form
 * {@code name.ns.svc.cluster.local} (or {@code name.ns}) names {@code ns/name}. {@code mesh} means
 * the sidecars, never a gateway.
 */
final class GatewayNames {
  static final String MESH = "mesh";

  private GatewayNames() {}

  static String resolve(String reference, String vsNamespace) {
    if (reference.equals(MESH) || reference.contains("/")) {
      return reference;
    }
    int dot = reference.indexOf('.');
    if (dot > 0) {
      String rest = reference.substring(dot + 1);
      int nextDot = rest.indexOf('.');
      return (nextDot < 0 ? rest : rest.substring(0, nextDot)) + "/" + reference.substring(0, dot);
    }
    return vsNamespace + "/" + reference;
  }
}
