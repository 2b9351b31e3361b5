package dev.outpost.translator.parse;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.Optional;

/**
 * Checks regexes as Envoy will: RE2 syntax (with RE2/J) and, before that and without compiling,
 * the size limits ({@link RegexLimits}): RE2/J expands counted repeats while compiling, so a
 * regex like {@code (((a{1000}){1000}){1000}){1000}} must never reach it.
 */
public final class RegexValidator {
  private RegexValidator() {}

  /** Why Envoy would reject the regex, or empty when it is accepted. */
  public static Optional<String> check(String regex) {
    return check(regex, RegexLimits.MAX_PROGRAM_SIZE);
  }

  /** As {@link #check(String)}, where Envoy's program size limit is {@code limit}. */
  public static Optional<String> check(String regex, long limit) {
    Optional<String> size = RegexLimits.problem(regex, limit);
    if (size.isPresent()) {
      return size;
    }
    try {
      Pattern.compile(regex);
      return Optional.empty();
    } catch (PatternSyntaxException e) {
      return Optional.of(
          RegexLimits.quote(regex)
              + " is not a valid RE2 regular expression ("
              + e.getDescription()
              + "); Envoy uses RE2, which has no lookaround or backreferences");
    }
  }
}
