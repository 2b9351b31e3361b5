package dev.outpost.translator.diag;

import java.util.Comparator;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    message = bounded(message);
    field = bounded(field);
  }

  /** Past this length a message or field path is shortened: input must not echo through it. */
  static final int MAX_TEXT = 2000;

  /** Characters kept of a long quoted value. */
  static final int QUOTED = 60;

  private static final Pattern LONG_QUOTE = Pattern.compile("\"([^\"]{" + (QUOTED + 1) + ",})\"");

  /**
   * {@code text}, or when it is longer than {@link #MAX_TEXT} (a message that quotes a huge value
   * from the input: a 200 KB host, path or key), with each long quoted value cut to its first
   * characters and its length, then cut to the limit. Messages are read by people and stored in
   * logs, {@code /debug} and Kubernetes status; a safety net under every parser's own care.
   */
  private static String bounded(String text) {
    if (text.length() <= MAX_TEXT) {
      return text;
    }
    Matcher quoted = LONG_QUOTE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (quoted.find()) {
      quoted.appendReplacement(out, Matcher.quoteReplacement(quote(quoted.group(1))));
    }
    quoted.appendTail(out);
    if (out.length() <= MAX_TEXT) {
      return out.toString();
    }
    int end = Character.isHighSurrogate(out.charAt(MAX_TEXT - 1)) ? MAX_TEXT - 1 : MAX_TEXT;
    return out.substring(0, end) + "… (" + (out.length() - end) + " more characters)";
  }

  /**
   * A value from the input in quotes for a message, cut to its first {@link #QUOTED} characters and
   * its length when longer ({@code "aaaa…" (200000 characters)}), so no message echoes 200 KB.
   */
  public static String quote(String value) {
    if (value.length() <= QUOTED) {
      return "\"" + value + "\"";
    }
    int end = Character.isHighSurrogate(value.charAt(QUOTED - 1)) ? QUOTED - 1 : QUOTED;
    return "\"" + value.substring(0, end) + "…\" (" + value.length() + " characters)";
  }

  public static Diagnostic error(String subject, String field, String message) {
    return new Diagnostic(Severity.ERROR, subject, field, message);
  }

  public static Diagnostic warning(String subject, String field, String message) {
    return new Diagnostic(Severity.WARNING, subject, field, message);
  }

  /** The same finding about a subject named otherwise. */
  public Diagnostic withSubject(String newSubject) {
    return new Diagnostic(severity, newSubject, field, message);
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
