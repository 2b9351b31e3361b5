package dev.outpost.translator.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PgvReasonsTest {
  @Test
  void zeroDurationLimitIsSpelledOut() {
    assertEquals("must be greater than 0s", PgvReasons.readable("must be greater than "));
  }

  @Test
  void textFormatDurationBecomesEnvoyStyle() {
    assertEquals(
        "must be less than or equal to 5.500s",
        PgvReasons.readable("must be less than or equal to seconds: 5\nnanos: 500000000\n"));
    assertEquals("must be greater than 0.001s", PgvReasons.readable("must be greater than nanos: 1000000\n"));
  }

  @Test
  void otherReasonsAreUnchanged() {
    assertEquals(
        "length must be at least 1 but got: 0",
        PgvReasons.readable("length must be at least 1 but got: 0"));
  }
}
