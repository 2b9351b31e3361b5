package dev.outpost.translator.parse;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.model.ObjectMeta;
import dev.outpost.translator.model.OutboundTrafficMode;
import dev.outpost.translator.model.Sidecar;
import dev.outpost.translator.model.SidecarEgress;
import dev.outpost.translator.model.WorkloadSelector;
import java.util.Optional;

/**
 * Reads and validates a Sidecar, following Istio's Sidecar validation. Outpost configures client
 * proxies' outbound side only: {@code ingress} and {@code inboundConnectionPool} are reported and
 * ignored. The egress entries are read by {@link SidecarEgressParser}.
 */
final class SidecarParser {
  private SidecarParser() {}

  static Sidecar parse(ObjectMeta meta, FieldReader root) {
    if (!root.has("spec")) {
      root.error("spec", "is required: give egress hosts, outboundTrafficPolicy, or both");
    }
    boolean specIsObject = root.value("spec").map(v -> v.isObject()).orElse(false);
    FieldReader spec =
        root.object("spec").orElseGet(() -> FieldReader.empty("spec", root.findings()));
    Optional<WorkloadSelector> selector = workloadSelector(spec);
    ImmutableList<SidecarEgress> egress = SidecarEgressParser.parse(spec);
    Optional<OutboundTrafficMode> mode = outboundTrafficMode(spec);
    for (String inbound : new String[] {"ingress", "inboundConnectionPool"}) {
      if (spec.has(inbound)) {
        spec.warning(
            inbound,
            "is not supported (Outpost serves egress only: it does not configure the inbound side"
                + " of proxies) and is ignored");
      }
    }
    // Istio refuses a Sidecar that says nothing; one with only ingress is valid there, and here
    // it is Istio's default egress (every host the namespace sees).
    if (specIsObject
        && !spec.has("egress")
        && !spec.has("outboundTrafficPolicy")
        && !spec.has("ingress")
        && !spec.has("inboundConnectionPool")) {
      root.error("spec", "is empty: give egress hosts, outboundTrafficPolicy, or both");
    }
    spec.finish();
    return new Sidecar(meta, selector, egress, mode);
  }

  /** {@code workloadSelector.labels}: Istio refuses a selector without labels. */
  private static Optional<WorkloadSelector> workloadSelector(FieldReader spec) {
    Optional<WorkloadSelector> selector = Fields.workloadSelector(spec, "labels");
    if (selector.isPresent() && selector.get().matchLabels().isEmpty()) {
      spec.error(
          "workloadSelector.labels",
          "is required when workloadSelector is given: name the labels of the pods this Sidecar"
              + " applies to, or remove workloadSelector to apply it to the whole namespace");
    }
    return selector;
  }

  /**
   * {@code outboundTrafficPolicy}: given, it replaces the mesh config's for these proxies; a policy
   * without {@code mode} is REGISTRY_ONLY (the proto's zero value, as Istio reads it).
   */
  private static Optional<OutboundTrafficMode> outboundTrafficMode(FieldReader spec) {
    return spec.object("outboundTrafficPolicy")
        .map(
            policy -> {
              Optional<OutboundTrafficMode> mode =
                  policy.enumValue("mode", OutboundTrafficMode.class);
              if (policy.has("egressProxy")) {
                policy.warning(
                    "egressProxy",
                    "is not supported and is ignored: unknown hosts are "
                        + (mode.orElse(OutboundTrafficMode.REGISTRY_ONLY)
                                == OutboundTrafficMode.ALLOW_ANY
                            ? "passed through to the address the application asked for"
                            : "refused (REGISTRY_ONLY)")
                        + ", not sent to the egress proxy");
              }
              policy.finish();
              return mode.orElse(OutboundTrafficMode.REGISTRY_ONLY);
            });
  }
}
