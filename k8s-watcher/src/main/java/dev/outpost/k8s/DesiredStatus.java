package dev.outpost.k8s;

import com.google.common.collect.ImmutableList;
import java.util.Objects;

/**
 * The status Outpost wants on one object after a translation round: its conditions, and the
 * error messages that also become Kubernetes Events.
 */
public record DesiredStatus(
    ResourceRef ref, ImmutableList<StatusCondition> conditions, ImmutableList<String> errors) {

  public DesiredStatus {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(conditions, "conditions");
    Objects.requireNonNull(errors, "errors");
  }
}
