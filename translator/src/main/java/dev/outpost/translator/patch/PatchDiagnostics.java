package dev.outpost.translator.patch;

import dev.outpost.translator.model.EnvoyFilter;

/** How patch diagnostics name their subject and field, so every finding reads the same way. */
final class PatchDiagnostics {
  private PatchDiagnostics() {}

  /** {@code EnvoyFilter istio-system/local-ratelimit}. */
  static String subject(EnvoyFilter filter) {
    return "EnvoyFilter " + filter.metadata().namespace() + "/" + filter.metadata().name();
  }

  /** {@code spec.configPatches[2]}. */
  static String field(EnvoyFilter.Patch patch) {
    return "spec.configPatches[" + patch.index() + "]";
  }
}
