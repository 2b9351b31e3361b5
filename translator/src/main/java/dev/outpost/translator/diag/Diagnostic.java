package dev.outpost.translator.diag;

import java.util.Comparator;
import java.util.Objects;

/**
 * One finding about the input, precise enough that a user can act on it without reading code.
 *
 * @param severity ERROR when something was rejected, WARNING when it was accepted with a caveat
 * @param subject what the finding is about: {@code "ServiceEntry default/httpbin"} for a resource,
 *     {@code "file config/broken.yaml"} for a file that could not be parsed
 * @param field the field path inside the subject, e.g. {@code spec.hosts[0]}; empty when the
 *     finding is about the subject as a whole
 * @param message a sentence saying what is wrong and what to do
 */
public record Diagnostic(Severity severity, String subject, String field, String message) {

  /** Stable order so that output is byte-identical across runs. */
  public static final Comparator<Diagnostic> ORDER =
      Comparator.comparing(Diagnostic::subject)
          .thenComparing(Diagnostic::field)
          .thenComparing(Diagnostic::severity)
          .thenComparing(Diagnostic::message);

  public Diagnostic {
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(message, "message");
  }

  public static Diagnostic error(String subject, String field, String message) {
    return new Diagnostic(Severity.ERROR, subject, field, message);
  }

  public static Diagnostic warning(String subject, String field, String message) {
    return new Diagnostic(Severity.WARNING, subject, field, message);
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }

  /** {@code ERROR ServiceEntry default/x: spec.hosts[0]: "a..b" is not a valid host name}. */
  @Override
  public String toString() {
    return severity + " " + subject + ": " + (field.isEmpty() ? "" : field + ": ") + message;
  }
}
