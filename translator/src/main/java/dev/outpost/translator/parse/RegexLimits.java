package dev.outpost.translator.parse;

import dev.outpost.translator.diag.Diagnostic;

import java.util.Optional;

/**
 * The limits a regex sent to Envoy must stay within, checked before anything compiles it: its
 * length (Outpost's own cap, so no check costs more than a few milliseconds), RE2's repetition
 * limit, and the RE2 program size Envoy accepts. Shared by the parsers (every regex field of the
 * input) and the snapshot checker (regexes that arrive through EnvoyFilter patches).
 */
public final class RegexLimits {
  /**
   * The largest RE2 program Envoy accepts from Outpost: the runtime key {@code
   * re2.max_program_size.error_level} in the bootstrap Outpost generates (Envoy's default is 100;
   * Istio's proxies run with 32768 too).
   */
  public static final int MAX_PROGRAM_SIZE = 32768;

  /**
   * Outpost's cap on a regex's length, in characters. Every literal character costs RE2 at least
   * one instruction, so a longer regex can only pass Envoy's program-size limit by being mostly
   * character classes; none of the realistic ones is this long.
   */
  public static final int MAX_LENGTH = 32768;


  private RegexLimits() {}

  /** Why Envoy would refuse {@code regex} for its size, or empty when it is within the limits. */
  public static Optional<String> problem(String regex) {
    return problem(regex, MAX_PROGRAM_SIZE);
  }

  /** As {@link #problem(String)}, with the program size limit that applies ({@code limit}). */
  public static Optional<String> problem(String regex, long limit) {
    return reason(regex, limit).map(reason -> quote(regex) + " " + reason);
  }

  /**
   * Why Envoy would refuse {@code regex} for its size, as a predicate without the regex ("is 40000
   * characters long, ..."), for messages about a value that becomes a regex.
   */
  static Optional<String> reason(String regex, long limit) {
    if (regex.length() > MAX_LENGTH) {
      return Optional.of(
          "is " + regex.length() + " characters long, over Outpost's limit of " + MAX_LENGTH
              + " for a regex; match a shorter pattern (exact or prefix matches take any length)");
    }
    Re2ProgramSize.Estimate estimate = Re2ProgramSize.of(regex);
    if (estimate instanceof Re2ProgramSize.RepeatTooLarge repeat) {
      return Optional.of(
          "repeats too much: " + repeat.operator()
              + (repeat.nested()
                  ? " and the counted repeats it is inside multiply to " + repeat.count()
                  : " counts " + (repeat.count() > 99_999_999 ? "over 99999999" : repeat.count()))
              + ", and RE2 (Envoy's regex engine) refuses a repeat count over "
              + Re2ProgramSize.MAX_REPEAT + ", nested repeats included; use smaller counts or"
              + " an unbounded repeat (+ or *)");
    }
    long size = ((Re2ProgramSize.Size) estimate).instructions();
    if (size > limit) {
      return Optional.of(
          "is too complex: its RE2 program can reach " + size
              + " instructions (Outpost's upper bound), over the limit of " + limit
              + " that Envoy enforces (runtime key re2.max_program_size.error_level), so Envoy"
              + " would refuse the whole configuration; use fewer or smaller {n,m} repeats,"
              + " shorter literals or simpler character classes");
    }
    return Optional.empty();
  }

  /** The regex in quotes, cut to its first characters when long, so no message echoes 200 KB. */
  static String quote(String regex) {
    return Diagnostic.quote(regex);
  }
}
