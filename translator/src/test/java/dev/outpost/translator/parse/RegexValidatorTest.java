package dev.outpost.translator.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RegexValidatorTest {

  /** Realistic regexes, from the goldens and the Istio docs, stay far below the limit. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "^/api/v[0-9]+/.*",
        ".*\\.example\\.com",
        "/v[0-9]+/items",
        "[a-f0-9]{16}",
        "(?i)api\\.example\\.com(:[0-9]+)?",
        "(?i).*\\.example\\.org(:[0-9]+)?",
        "spiffe://.*/sa/d",
        "^/v1/(.*)$",
        "https?://([a-z0-9-]+\\.)*example\\.com",
        "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
        "\\p{L}+",
      })
  void acceptsRealisticRegexes(String regex) {
    assertEquals(Optional.empty(), RegexValidator.check(regex));
    long bound = ((Re2ProgramSize.Size) Re2ProgramSize.of(regex)).instructions();
    assertTrue(bound < RegexLimits.MAX_PROGRAM_SIZE / 8, regex + ": " + bound);
  }

  @Test
  void tooLongIsRefusedWithoutEchoingIt() {
    String literal = "a".repeat(200_000);
    String problem = RegexValidator.check(literal).orElseThrow();
    assertTrue(problem.contains("200000 characters long"), problem);
    assertTrue(problem.contains("32768"), problem);
    assertTrue(problem.length() < 400, "echoes the regex: " + problem.length());
    assertTrue(problem.contains("\"" + "a".repeat(60) + "…\""), problem);
  }

  @Test
  void programSizeOverEnvoysLimitIsRefused() {
    String problem = RegexValidator.check("(?:.{0,1000}){0,1}".repeat(100)).orElseThrow();
    assertTrue(problem.contains("RE2 program can reach"), problem);
    assertTrue(problem.contains("over the limit of 32768"), problem);
    assertTrue(problem.contains("re2.max_program_size.error_level"), problem);
    assertTrue(problem.length() < 600, problem);

    assertTrue(RegexValidator.check(".{0,1000}".repeat(100)).isPresent());
    assertTrue(RegexValidator.check("a".repeat(32_765)).isPresent());
  }

  @Test
  void nestedRepetitionIsRefusedAsRe2Does() {
    String problem = RegexValidator.check("(a{1000}){1000}").orElseThrow();
    assertTrue(problem.contains("multiply to 1000000"), problem);
    assertTrue(problem.contains("over 1000"), problem);
    assertTrue(RegexValidator.check("(a{10}){100}").isEmpty());
  }

  /**
   * RE2/J expands counted repeats while compiling, without RE2's nested limit: this one took it
   * minutes and gigabytes. Refused before anything compiles it.
   */
  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void fourLevelBombIsRefusedQuickly() {
    String problem = RegexValidator.check("(((a{1000}){1000}){1000}){1000}").orElseThrow();
    assertTrue(problem.contains("repeats too much"), problem);
  }

  @Test
  void syntaxErrorsStillComeFromRe2j() {
    assertTrue(RegexValidator.check("(?<=x)y").orElseThrow().contains("not a valid RE2"));
    String longBad = "(" + "a".repeat(100);
    String problem = RegexValidator.check(longBad).orElseThrow();
    assertFalse(problem.contains("a".repeat(61)), problem);
  }
}
