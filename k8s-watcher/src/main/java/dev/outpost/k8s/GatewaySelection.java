package dev.outpost.k8s;

import com.google.common.collect.ImmutableMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.Map;
import java.util.Objects;

/**
 * Which Istio Gateways Outpost takes, so that Outpost and istiod can share a cluster. A Gateway
 * applies to the proxies its {@code spec.selector} matches; Outpost takes the Gateways whose
 * selector contains every label of the configured set (e.g. {@code outpost.dev/gateway=egress},
 * the label Outpost's gateway Deployment carries) and leaves the others to istiod. The selector
 * is what decides which pods a Gateway configures, so both control planes agree on the split
 * without an extra annotation: istiod finds no pod of its own for Outpost's Gateways, and
 * Outpost never reports on istiod's. A Gateway without a selector is istiod's in that mode (it
 * would select every gateway pod). With an empty set, Outpost takes every Gateway (a cluster
 * without istiod).
 *
 * <p>VirtualServices, DestinationRules and ServiceEntries are read by both: they are bound to
 * Gateways by name ({@code spec.gateways}), so a VirtualService bound only to istiod's Gateways
 * configures nothing in Outpost.
 */
final class GatewaySelection {
  private final ImmutableMap<String, String> required;

  GatewaySelection(ImmutableMap<String, String> required) {
    this.required = Objects.requireNonNull(required, "required");
  }

  boolean takesAll() {
    return required.isEmpty();
  }

  ImmutableMap<String, String> required() {
    return required;
  }

  boolean takes(GenericKubernetesResource gateway) {
    if (required.isEmpty()) {
      return true;
    }
    Map<String, String> selector = selectorOf(gateway);
    return required.entrySet().stream()
        .allMatch(e -> e.getValue().equals(selector.get(e.getKey())));
  }

  /** The Gateway's {@code spec.selector} as labels; anything malformed reads as empty. */
  static Map<String, String> selectorOf(GenericKubernetesResource gateway) {
    Object spec = gateway.getAdditionalProperties().get("spec");
    if (!(spec instanceof Map<?, ?> specMap) || !(specMap.get("selector") instanceof Map<?, ?> selector)) {
      return Map.of();
    }
    ImmutableMap.Builder<String, String> labels = ImmutableMap.builder();
    selector.forEach(
        (k, v) -> {
          if (k instanceof String key && v instanceof String value) {
            labels.put(key, value);
          }
        });
    return labels.buildKeepingLast();
  }
}
