package dev.outpost.translator.build;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.diag.Diagnostic;
import java.util.TreeSet;

/**
 * Collects translation diagnostics while the IR is built. The same problem found twice (a
 * VirtualService bound to two servers) is reported once; output order is {@link Diagnostic#ORDER}.
 */
final class DiagnosticSink {
  private final TreeSet<Diagnostic> diagnostics = new TreeSet<>(Diagnostic.ORDER);

  void error(String subject, String field, String message) {
    diagnostics.add(Diagnostic.error(subject, field, message));
  }

  void warning(String subject, String field, String message) {
    diagnostics.add(Diagnostic.warning(subject, field, message));
  }

  ImmutableList<Diagnostic> toList() {
    return ImmutableList.copyOf(diagnostics);
  }
}
