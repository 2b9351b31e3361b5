package dev.outpost.translator.parse;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.Optional;

/** Checks regexes with RE2 syntax (re2j), because Envoy compiles them with RE2. */
final class RegexValidator {
  private RegexValidator() {}

  /** Why RE2 rejects the regex, or empty when it compiles. */
  static Optional<String> check(String regex) {
    try {
      Pattern.compile(regex);
      return Optional.empty();
    } catch (PatternSyntaxException e) {
      return Optional.of(
          "\""
              + regex
              + "\" is not a valid RE2 regular expression ("
              + e.getDescription()
              + "); Envoy uses RE2, which has no lookaround or backreferences");
    }
  }
}
