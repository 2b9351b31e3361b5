package dev.outpost.translator.api;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.diag.Diagnostic;
import java.util.Objects;

/** The output of translating one snapshot for one proxy: resources, and what was wrong. */
public record Translation(EnvoyResources resources, ImmutableList<Diagnostic> diagnostics) {
  public Translation {
    Objects.requireNonNull(resources, "resources");
    Objects.requireNonNull(diagnostics, "diagnostics");
  }

  public boolean hasErrors() {
    return diagnostics.stream().anyMatch(Diagnostic::isError);
  }
}
