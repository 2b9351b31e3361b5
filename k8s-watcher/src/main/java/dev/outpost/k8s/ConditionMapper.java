package dev.outpost.k8s;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.diag.Diagnostic;
import java.util.List;

/**
 * Turns what a translation round found about an object into its two conditions. Pure.
 *
 * <ul>
 *   <li>{@code Accepted}: is this generation used as written? {@code True} with reason {@code
 *       Accepted} (no findings) or {@code AcceptedWithWarnings}; {@code False} with reason {@code
 *       Invalid} (it failed validation on its own and is rejected as a whole) or {@code Rejected}
 *       (valid on its own, but parts of it could not be applied in context: a host without a
 *       ServiceEntry, a missing Secret or subset, ...; those parts are dropped). The message lists
 *       the findings, one per line, errors first.
 *   <li>{@code Reconciled}: does the config Outpost serves reflect this generation? {@code True}
 *       (reason {@code Reconciled}) unless it is invalid; then {@code False} with reason {@code
 *       LastGoodVersionInEffect} (an earlier valid version is still served) or {@code NotInEffect}
 *       (nothing of it is served).
 * </ul>
 *
 * <p>The findings' text goes into the condition message, not into {@code validationMessages}:
 * Istio's CRDs allow only a type (an {@code IST0000}-style code of Istio's analyzers), a level and
 * a documentation URL in those entries, so a message there would be pruned by the API server.
 */
final class ConditionMapper {
  static final String ACCEPTED = "Accepted";
  static final String RECONCILED = "Reconciled";
  /** The condition types Outpost owns on an object; others' conditions are left alone. */
  static final List<String> OWNED_TYPES = List.of(ACCEPTED, RECONCILED);
  /**
   * The reasons Outpost writes. istiod writes a {@code Reconciled} condition of its own (status
   * distribution, without these reasons): a condition is recognized as Outpost's by type and
   * reason together when Outpost lets go of an object.
   */
  static final List<String> OWN_REASONS =
      List.of(
          Reason.ACCEPTED,
          Reason.ACCEPTED_WITH_WARNINGS,
          Reason.INVALID,
          Reason.REJECTED,
          Reason.RECONCILED,
          Reason.LAST_GOOD_VERSION_IN_EFFECT,
          Reason.NOT_IN_EFFECT);

  /** The reasons Outpost writes, each used once below and listed in {@link #OWN_REASONS}. */
  private static final class Reason {
    static final String ACCEPTED = "Accepted";
    static final String ACCEPTED_WITH_WARNINGS = "AcceptedWithWarnings";
    static final String INVALID = "Invalid";
    static final String REJECTED = "Rejected";
    static final String RECONCILED = "Reconciled";
    static final String LAST_GOOD_VERSION_IN_EFFECT = "LastGoodVersionInEffect";
    static final String NOT_IN_EFFECT = "NotInEffect";
  }

  /** Kubernetes limits nothing here, but a condition is read in a terminal: keep it readable. */
  static final int MAX_LINES = 20;
  static final int MAX_CHARS = 8192;

  private ConditionMapper() {}

  static DesiredStatus map(ResourceOutcome outcome) {
    long generation = outcome.ref().generation();
    ImmutableList<Diagnostic> findings = outcome.all();
    boolean hasWarnings = findings.stream().anyMatch(d -> !d.isError());
    StatusCondition accepted;
    StatusCondition reconciled;
    if (outcome.invalid()) {
      accepted =
          new StatusCondition(ACCEPTED, "False", Reason.INVALID, describe(findings), generation);
      reconciled =
          outcome.inEffect()
              ? new StatusCondition(
                  RECONCILED,
                  "False",
                  Reason.LAST_GOOD_VERSION_IN_EFFECT,
                  "this generation is invalid; Outpost keeps serving the last valid version until"
                      + " the errors in the Accepted condition are fixed",
                  generation)
              : new StatusCondition(
                  RECONCILED,
                  "False",
                  Reason.NOT_IN_EFFECT,
                  "this generation is invalid and no earlier version was valid, so Outpost serves"
                      + " nothing from it; fix the errors in the Accepted condition",
                  generation);
    } else {
      if (outcome.hasTranslationErrors()) {
        accepted =
            new StatusCondition(ACCEPTED, "False", Reason.REJECTED, describe(findings), generation);
      } else if (hasWarnings) {
        accepted =
            new StatusCondition(
                ACCEPTED, "True", Reason.ACCEPTED_WITH_WARNINGS, describe(findings), generation);
      } else {
        accepted =
            new StatusCondition(
                ACCEPTED, "True", Reason.ACCEPTED, "Outpost accepted this resource", generation);
      }
      reconciled =
          new StatusCondition(
              RECONCILED,
              "True",
              Reason.RECONCILED,
              outcome.hasTranslationErrors()
                  ? "this generation is in the config Outpost serves, without the parts the"
                      + " Accepted condition says were dropped"
                  : "this generation is in the config Outpost serves",
              generation);
    }
    ImmutableList<String> errors =
        findings.stream()
            .filter(Diagnostic::isError)
            .map(ConditionMapper::line)
            .collect(ImmutableList.toImmutableList());
    return new DesiredStatus(outcome.ref(), ImmutableList.of(accepted, reconciled), errors);
  }

  /** Errors first, then warnings, one per line; long lists are cut with a count. */
  static String describe(List<Diagnostic> findings) {
    List<Diagnostic> ordered =
        findings.stream().sorted((a, b) -> Boolean.compare(!a.isError(), !b.isError())).toList();
    StringBuilder out = new StringBuilder();
    int shown = 0;
    for (Diagnostic d : ordered) {
      String line = d.severity() + " " + line(d);
      if (shown == MAX_LINES || out.length() + line.length() + 1 > MAX_CHARS) {
        out.append("\n... and ")
            .append(ordered.size() - shown)
            .append(" more (see Outpost's log or /debug)");
        break;
      }
      if (shown > 0) {
        out.append('\n');
      }
      out.append(line);
      shown++;
    }
    return out.toString();
  }

  /** {@code spec.hosts[0]: "a..b" is not a valid host name}: the subject is the object itself. */
  static String line(Diagnostic d) {
    return (d.field().isEmpty() ? "" : d.field() + ": ") + d.message();
  }
}
