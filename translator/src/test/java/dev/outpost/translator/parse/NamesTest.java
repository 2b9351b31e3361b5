package dev.outpost.translator.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The hand-written name matchers accept exactly what the documented patterns accept. */
class NamesTest {
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern LABEL_ANY_CASE =
      Pattern.compile("[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?");
  private static final Pattern HEADER_NAME = Pattern.compile("[-_A-Za-z0-9]+");
  private static final Pattern LABEL_NAME =
      Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
  private static final Pattern SECRET_KEY = Pattern.compile("[-._a-zA-Z0-9]+");
  private static final String ALPHABET = "aZz09-_./: \u00e9Aa";

  @Test
  void matchersAgreeWithThePatternsTheyReplace() {
    Random random = new Random(42);
    for (int n = 0; n < 200_000; n++) {
      StringBuilder s = new StringBuilder();
      int length = random.nextInt(6);
      for (int i = 0; i < length; i++) {
        s.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
      }
      String t = s.toString();
      assertEquals(LABEL.matcher(t).matches(), Names.isDns1123Label(t), t);
      assertEquals(LABEL_ANY_CASE.matcher(t).matches(), Names.isHostLabel(t), t);
      assertEquals(HEADER_NAME.matcher(t).matches(), Names.isHeaderName(t), t);
      assertEquals(t.isEmpty() || LABEL_NAME.matcher(t).matches(), Names.isLabelValue(t), t);
      assertEquals(SECRET_KEY.matcher(t).matches(), Names.isSecretKey(t), t);
      if (!t.contains("/")) {
        assertEquals(LABEL_NAME.matcher(t).matches(), Names.checkLabelKey(t).isEmpty(), t);
      }
    }
  }
}
