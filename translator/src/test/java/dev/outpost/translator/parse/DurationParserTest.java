package dev.outpost.translator.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationParserTest {

  @ParameterizedTest
  @CsvSource({
    "1s, 1000000000",
    "500ms, 500000000",
    "1m, 60000000000",
    "1h30m, 5400000000000",
    "1.5s, 1500000000",
    ".5s, 500000000",
    "1.s, 1000000000",
    "0, 0",
    "0s, 0",
    "10us, 10000",
    "10µs, 10000",
    "7ns, 7",
    "-2s, -2000000000",
    "+3m, 180000000000",
    "1h1m1s1ms, 3661001000000",
    "1.000000001s, 1000000001"
  })
  void parsesGoAndProtobufDurations(String text, long nanos) {
    assertEquals(Optional.of(Duration.ofNanos(nanos)), DurationParser.parse(text));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "s",
        "5",
        "1d",
        "1.2.3s",
        "1 s",
        "abc",
        "-",
        "5sec",
        ".s",
        "1s-1s",
        "9999999999999h"
      })
  void rejectsNonDurations(String text) {
    assertEquals(Optional.empty(), DurationParser.parse(text));
  }

  @ParameterizedTest
  @CsvSource({
    "AT_LEAST_1MS, 0s",
    "AT_LEAST_1MS, 500us",
    "AT_LEAST_1MS, -1s",
    "NON_NEGATIVE, -1ms",
    "NON_NEGATIVE, 1.5ms"
  })
  void rulesRejectWhatIstioRejects(DurationRule rule, String text) {
    assertTrue(rule.check(text, DurationParser.parse(text).orElseThrow()).isPresent());
  }

  @ParameterizedTest
  @CsvSource({"AT_LEAST_1MS, 1ms", "AT_LEAST_1MS, 24h", "NON_NEGATIVE, 0s", "NON_NEGATIVE, 1.5s"})
  void rulesAcceptWhatIstioAccepts(DurationRule rule, String text) {
    assertEquals(Optional.empty(), rule.check(text, DurationParser.parse(text).orElseThrow()));
  }
}
