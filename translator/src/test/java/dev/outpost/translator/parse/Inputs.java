package dev.outpost.translator.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.outpost.translator.api.SourceFile;
import dev.outpost.translator.diag.Diagnostic;
import dev.outpost.translator.diag.Severity;
import dev.outpost.translator.model.ConfigSnapshot;
import java.util.List;
import java.util.stream.Collectors;

/** Test helpers: assemble YAML text and look at the diagnostics. */
final class Inputs {
  private Inputs() {}

  static ConfigSnapshot assemble(String yaml) {
    return assemble(ConfigSnapshot.EMPTY, new SourceFile("test.yaml", yaml));
  }

  static ConfigSnapshot assemble(ConfigSnapshot previous, SourceFile... files) {
    return new SnapshotAssembler().assemble(List.of(files), previous);
  }

  static List<String> lines(ConfigSnapshot s) {
    return s.diagnostics().stream().map(Diagnostic::toString).collect(Collectors.toList());
  }

  static List<Diagnostic> errors(ConfigSnapshot s) {
    return s.diagnostics().stream().filter(Diagnostic::isError).collect(Collectors.toList());
  }

  static List<Diagnostic> warnings(ConfigSnapshot s) {
    return s.diagnostics().stream()
        .filter(d -> d.severity() == Severity.WARNING)
        .collect(Collectors.toList());
  }

  static void assertNoDiagnostics(ConfigSnapshot s) {
    assertEquals(List.of(), lines(s), "expected no diagnostics");
  }

  /**
   * Asserts there is a diagnostic of that severity on that field whose message contains the text.
   */
  static Diagnostic assertDiagnostic(
      ConfigSnapshot s, Severity severity, String field, String messagePart) {
    for (Diagnostic d : s.diagnostics()) {
      if (d.severity() == severity
          && d.field().equals(field)
          && d.message().contains(messagePart)) {
        return d;
      }
    }
    return fail(
        "no " + severity + " on " + field + " containing \"" + messagePart + "\" in " + lines(s));
  }

  /**
   * Asserts the resource was rejected with an error on {@code field} mentioning {@code
   * messagePart}.
   */
  static Diagnostic assertRejected(ConfigSnapshot s, String field, String messagePart) {
    Diagnostic d = assertDiagnostic(s, Severity.ERROR, field, messagePart);
    assertTrue(
        s.serviceEntries().isEmpty()
            && s.gateways().isEmpty()
            && s.virtualServices().isEmpty()
            && s.destinationRules().isEmpty()
            && s.secrets().isEmpty()
            && s.services().isEmpty()
            && s.endpointSlices().isEmpty()
            && s.pods().isEmpty()
            && s.sidecars().isEmpty()
            && s.meshConfigs().isEmpty()
            && s.authorizationPolicies().isEmpty()
            && s.envoyFilters().isEmpty(),
        "the invalid resource should not be in the snapshot");
    return d;
  }
}
