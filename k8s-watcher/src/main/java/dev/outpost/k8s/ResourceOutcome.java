package dev.outpost.k8s;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.diag.Diagnostic;
import java.util.Objects;

/**
 * What one translation round found about one Istio object.
 *
 * @param validation the findings of parsing and validating it alone (the snapshot's diagnostics)
 * @param translation the findings of translating it for the connected proxy groups, each once
 * @param inEffect whether some version of it is in the snapshot: true for a valid object, and for
 *     an invalid update whose last good version stays in effect
 */
public record ResourceOutcome(
    ResourceRef ref,
    ImmutableList<Diagnostic> validation,
    ImmutableList<Diagnostic> translation,
    boolean inEffect) {

  public ResourceOutcome {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(validation, "validation");
    Objects.requireNonNull(translation, "translation");
  }

  boolean invalid() {
    return validation.stream().anyMatch(Diagnostic::isError);
  }

  boolean hasTranslationErrors() {
    return translation.stream().anyMatch(Diagnostic::isError);
  }

  /** Every finding, validation first, each once. */
  ImmutableList<Diagnostic> all() {
    return ImmutableList.<Diagnostic>builder().addAll(validation).addAll(translation).build().stream()
        .distinct()
        .collect(ImmutableList.toImmutableList());
  }
}
