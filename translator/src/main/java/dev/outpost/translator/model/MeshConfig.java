package dev.outpost.translator.model;

import java.util.Objects;

/**
 * The mesh-wide settings Outpost reads from Istio's mesh config: the ConfigMap {@code istio} in
 * the root namespace ({@code istio-system}), key {@code mesh}, as istiod reads it.
 *
 * @param metadata the ConfigMap's metadata
 * @param outboundTrafficMode {@code outboundTrafficPolicy.mode}; REGISTRY_ONLY when the mesh
 *     config does not say (Outpost's default, unlike Istio's ALLOW_ANY: egress control is the
 *     point of the product)
 */
public record MeshConfig(ObjectMeta metadata, OutboundTrafficMode outboundTrafficMode) {
  /** The ConfigMap name and key istiod reads its mesh config from. */
  public static final String CONFIG_MAP_NAME = "istio";

  public static final String CONFIG_MAP_KEY = "mesh";

  /**
   * Istio's root namespace, where istiod's mesh config lives and whose Sidecar and
   * DestinationRules apply mesh-wide. Istio lets {@code meshConfig.rootNamespace} move it; Outpost
   * does not (the ConfigMap that would say so is itself looked up here).
   */
  public static final String ROOT_NAMESPACE = "istio-system";

  public MeshConfig {
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(outboundTrafficMode, "outboundTrafficMode");
  }
}
