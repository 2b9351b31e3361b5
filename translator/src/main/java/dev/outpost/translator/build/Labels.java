package dev.outpost.translator.build;

import java.util.Map;
import java.util.Optional;

/** Label selection as Istio does it everywhere: every label of the selector, with its value. */
final class Labels {
  private Labels() {}

  /** Whether {@code labels} carry all of {@code selector}; an empty selector selects anything. */
  static boolean selects(Map<String, String> selector, Map<String, String> labels) {
    for (Map.Entry<String, String> label : selector.entrySet()) {
      if (!label.getValue().equals(labels.get(label.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /**
   * A route match's {@code sourceLabels} and {@code sourceNamespace}: Istio compares them with the
   * proxy the route is built for (on a gateway, the gateway itself).
   */
  static boolean fromProxy(
      Map<String, String> sourceLabels,
      Optional<String> sourceNamespace,
      dev.outpost.translator.api.ProxyIdentity proxy) {
    return selects(sourceLabels, proxy.labels())
        && sourceNamespace.map(proxy.namespace()::equals).orElse(true);
  }
}
