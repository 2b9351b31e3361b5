package dev.outpost.translator.golden;

import com.google.common.base.Splitter;
import dev.outpost.translator.api.ProxyIdentity;
import dev.outpost.translator.api.ProxyRole;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the proxy a golden case translates for from its first line: {@code # proxy: role=gateway
 * namespace=istio-system labels=istio=egressgateway,app=x}. Every key is optional; the defaults are
 * the Istio egress gateway's.
 */
final class ProxyLine {
  static final String PREFIX = "# proxy:";

  private ProxyLine() {}

  static ProxyIdentity parse(String caseText) {
    String first = caseText.lines().findFirst().orElse("");
    Map<String, String> settings = new TreeMap<>();
    if (first.startsWith(PREFIX)) {
      for (String part :
          Splitter.on(' ').omitEmptyStrings().split(first.substring(PREFIX.length()))) {
        int eq = part.indexOf('=');
        if (eq < 0) {
          throw new IllegalArgumentException("proxy line part without '=': " + part);
        }
        settings.put(part.substring(0, eq), part.substring(eq + 1));
      }
    }
    Map<String, String> labels = new TreeMap<>();
    String labelText = settings.getOrDefault("labels", "istio=egressgateway");
    for (String label : Splitter.on(',').omitEmptyStrings().split(labelText)) {
      int eq = label.indexOf('=');
      labels.put(label.substring(0, eq), label.substring(eq + 1));
    }
    ProxyRole role =
        ProxyRole.fromWireName(settings.getOrDefault("role", "gateway"))
            .orElseThrow(
                () -> new IllegalArgumentException("unknown role in proxy line: " + first));
    return ProxyIdentity.of(
        settings.getOrDefault("node", "egress-1"),
        role,
        settings.getOrDefault("namespace", "istio-system"),
        settings.getOrDefault("serviceAccount", "istio-egressgateway-service-account"),
        labels);
  }
}
