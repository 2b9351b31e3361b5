package dev.outpost.translator.parse;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.diag.Diagnostic;
import java.util.ArrayList;
import java.util.List;

/** Collects the diagnostics about one subject (a resource or a file) while it is being read. */
final class Findings {
  private final String subject;
  private final List<Diagnostic> diagnostics = new ArrayList<>();

  Findings(String subject) {
    this.subject = subject;
  }

  String subject() {
    return subject;
  }

  void error(String field, String message) {
    diagnostics.add(Diagnostic.error(subject, field, message));
  }

  void warning(String field, String message) {
    diagnostics.add(Diagnostic.warning(subject, field, message));
  }

  boolean hasErrors() {
    return diagnostics.stream().anyMatch(Diagnostic::isError);
  }

  /** How many errors so far: a reader compares before and after to tell if a part was valid. */
  long errorCount() {
    return diagnostics.stream().filter(Diagnostic::isError).count();
  }

  ImmutableList<Diagnostic> all() {
    return ImmutableList.copyOf(diagnostics);
  }
}
