package dev.outpost.k8s;

import java.util.Objects;

/**
 * One condition Outpost wants on an object, in the shape of Istio's {@code IstioCondition}
 * ({@code istio.meta.v1alpha1}). {@code lastTransitionTime} is not part of it: it is decided when
 * writing, from the condition already on the object ({@link StatusMerge}).
 *
 * @param status {@code "True"} or {@code "False"}
 * @param observedGeneration the generation this describes; 0 when unknown (then not written)
 */
public record StatusCondition(
    String type, String status, String reason, String message, long observedGeneration) {

  public StatusCondition {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
  }
}
