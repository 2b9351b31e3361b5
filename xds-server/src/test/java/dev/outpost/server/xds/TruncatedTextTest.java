package dev.outpost.server.xds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TruncatedTextTest {
  @Test
  void shortTextIsKept() {
    assertEquals("Proto constraint validation failed", TruncatedText.of("Proto constraint validation failed", 1024));
  }

  @Test
  void longTextKeepsItsFirstKibibyteAndSaysHowMuchWasCut() {
    String cut = TruncatedText.of("e".repeat(100_000), 1024);
    assertEquals("e".repeat(1024) + "… (98976 bytes truncated)", cut);
  }

  @Test
  void aCharacterIsNeverSplit() {
    // 3 bytes each: 1024 is not a multiple of 3, so the cut backs up to a character's start.
    String cut = TruncatedText.of("€".repeat(1000), 1024);
    String kept = cut.substring(0, cut.indexOf("… ("));
    assertEquals("€".repeat(341), kept);
    assertTrue(cut.endsWith("… (" + (3000 - 1023) + " bytes truncated)"), cut);
    assertTrue(kept.getBytes(StandardCharsets.UTF_8).length <= 1024);
  }
}
