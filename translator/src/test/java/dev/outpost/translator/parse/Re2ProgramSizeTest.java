package dev.outpost.translator.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The program size bound against RE2's own {@code RE2::ProgramSize()} (RE2 2022-06-01, as Envoy
 * counts it: {@code RE2(regex, RE2::Quiet)}). Every RE2 program has a fail instruction, a match
 * instruction and, unless anchored, the {@code .*?} loop (a byte range and an alternation) that
 * lets it match anywhere: 4 instructions around the regex's own.
 */
class Re2ProgramSizeTest {

  private static long size(String regex) {
    Re2ProgramSize.Estimate estimate = Re2ProgramSize.of(regex);
    return assertInstanceOf(Re2ProgramSize.Size.class, estimate, regex).instructions();
  }

  /** Where the bound is exact: RE2 compiles these to the same count. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // one byte range per ASCII literal, plus the 4 around
        "a | 5",
        "ab | 6",
        // (?i) on an ASCII letter is one byte range with the fold flag
        "(?i)abc | 7",
        // one ASCII range: one byte range
        "[a-z] | 5",
        "\\d | 5",
        // 'é' is two UTF-8 bytes (C3 A9): two byte ranges
        "é | 6",
        // U+1F600 is four UTF-8 bytes
        "\uD83D\uDE00 | 8",
      })
  void exactWhereRe2IsExact(String regex, long re2ProgramSize) {
    assertEquals(re2ProgramSize, size(regex));
  }

  /** Never below RE2's count (right column: RE2's real ProgramSize). */
  @ParameterizedTest
  @CsvSource(
      delimiter = '#',
      value = {
        // '.' is [^\n]: 00-09, 0B-7F, and the 12 byte ranges of 80-10FFFF; RE2 shares suffixes
        ". # 12",
        "[^a] # 12",
        "^/api/v[0-9]+/.* # 15",
        ".*\\.example\\.com # 24",
        "(?i)k # 8",
        "x{0,1000} # 2004",
        "(?:(?:a*){10}){10} # 203",
        ".{0,1000}.{0,1000}.{0,1000} # 27004",
        "(?:a{2}b{3}){0,200} # 1204",
        "\\p{Greek} # 66",
        "\\pL # 1197",
        "(|a)*(|a)*(|a)*(|a)*(|a)* # 44",
        "(?:(?:(?:a*)*)*)* # 5",
        // generated ones (flags, classes, Unicode, folding, nesting, every repeat form)
        "[0-9a-fA-F]+[a-z]||[\\x{7ff}-\\x{801}]\\B{12}[\\x{7ff}-\\x{801}][^x]?? # 41",
        "[a-z](?:|[a-zA-Z0-9_.-]?$)?\\p{Greek}[\\x{80}-\\x{10FFFF}] # 80",
        "(?i)^\\A|(?P<n71>[ks]\\b*)[^ks]?[ks]+.| # 64",
        "(?i)\\z|[^x]\\C[\\x{ffff}-\\x{10001}]*\\z|Ω?? # 31",
        "(?s)ß(?P<n94>\\p{Greek}\\z*(?P<n56>)) # 77",
        "(?i)|\\pN|\\x{2126}b?[a-z]😀 # 257",
        ".??\\p{Greek}{0}$??|\\p{Greek}?|\\W+ # 92",
        "(?i)|.??((?s:[ks]z{2}\\z.{5})*)+ # 63",
        "(?i)\\A(((?P<n76>)|^\\C\\x{2126}[^\\x{0}-\\x{7f}]{2}))\\pN^ # 295",
        "ſ*k+(?s:.[\\x{100}-\\x{10000}]{12}).+ # 145",
      })
  void neverBelowRe2(String regex, long re2ProgramSize) {
    long bound = size(regex);
    assertTrue(bound >= re2ProgramSize, regex + ": bound " + bound + " < RE2's " + re2ProgramSize);
  }

  /**
   * x{n,m} is n copies and m-n nested optional copies: x{2,4} = xx(x(x)?)?, so m bytes and m-n
   * alternations (2 each in the bound).
   */
  @Test
  void countedRepeatIsExpanded() {
    assertEquals(4 + 4 + 2 * 2, size("a{2,4}"));
    assertEquals(4 + 1000, size("a{1000}"));
    assertEquals(4 + 6 * 10, size("(?:a{2}b{4}){10}"));
    assertEquals(4 + 1, size("a{0}"));
  }

  /** A literal costs exactly its bytes, so the limit is where RE2 puts it. */
  @Test
  void boundaryOfEnvoysLimitIsExactForLiterals() {
    assertEquals(RegexLimits.MAX_PROGRAM_SIZE, size("a".repeat(RegexLimits.MAX_PROGRAM_SIZE - 4)));
    assertTrue(RegexLimits.problem("a".repeat(RegexLimits.MAX_PROGRAM_SIZE - 4)).isEmpty());
    assertTrue(RegexLimits.problem("a".repeat(RegexLimits.MAX_PROGRAM_SIZE - 3)).isPresent());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "a{1001} | {1001} | 1001 | false",
        "a{2,1001} | {2,1001} | 1001 | false",
        "(a{1000}){1000} | {1000} | 1000000 | true",
        "(a{10}){101} | {101} | 1010 | true",
        // an unbounded repeat counts its minimum, as in RE2's RepetitionWalker
        "(?:a{2,}){501} | {501} | 1002 | true",
        "((a{10}){10}){11} | {11} | 1100 | true",
      })
  void refusesWhatRe2sParserRefuses(String regex, String operator, long count, boolean nested) {
    assertEquals(
        new Re2ProgramSize.RepeatTooLarge(operator, count, nested), Re2ProgramSize.of(regex));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "a{1000}",
        "(a{10}){100}",
        "((a{10}){10}){10}",
        "(?:a{0}){1000}",
        "(a*){1000}",
        // not a repeat for RE2: a leading zero, a space, a missing lower bound
        "a{01000}",
        "a{ 5000}",
        "a{,5000}",
        "\\Q(a{1000}){1000}\\E",
        "[{1000}]{1000}",
      })
  void acceptsWhatRe2sParserAccepts(String regex) {
    assertInstanceOf(Re2ProgramSize.Size.class, Re2ProgramSize.of(regex), regex);
  }

  /** Deep nesting is read with an explicit stack: no StackOverflowError. */
  @Test
  void deepNestingDoesNotOverflowTheStack() {
    String deep = "(".repeat(16_000) + "a" + ")".repeat(16_000);
    assertEquals(4 + 1 + 2 * 16_000, size(deep));
  }
}
