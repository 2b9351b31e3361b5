package dev.outpost.translator.parse;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Parses durations the way Istio accepts them: Go's {@code time.ParseDuration} syntax ({@code
 * 1h30m}, {@code 500ms}, {@code 1.5s}, {@code 0}), which includes protobuf-JSON's {@code 1.5s}.
 */
final class DurationParser {
  private static final Map<String, BigInteger> NANOS_PER_UNIT =
      Map.of(
          "ns", BigInteger.ONE,
          "us", BigInteger.valueOf(1_000L),
          "µs", BigInteger.valueOf(1_000L),
          "μs", BigInteger.valueOf(1_000L),
          "ms", BigInteger.valueOf(1_000_000L),
          "s", BigInteger.valueOf(1_000_000_000L),
          "m", BigInteger.valueOf(60_000_000_000L),
          "h", BigInteger.valueOf(3_600_000_000_000L));

  private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE);

  private DurationParser() {}

  /** The duration, or empty when the text is not a duration. */
  static Optional<Duration> parse(String text) {
    String s = text.trim();
    if (s.isEmpty()) {
      return Optional.empty();
    }
    boolean negative = false;
    if (s.charAt(0) == '-' || s.charAt(0) == '+') {
      negative = s.charAt(0) == '-';
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return Optional.of(Duration.ZERO);
    }
    if (s.isEmpty()) {
      return Optional.empty();
    }
    BigDecimal total = BigDecimal.ZERO;
    int i = 0;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
        i++;
      }
      String number = s.substring(start, i);
      int unitStart = i;
      while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
        i++;
      }
      BigInteger unit = NANOS_PER_UNIT.get(s.substring(unitStart, i));
      if (unit == null || !isDecimal(number)) {
        return Optional.empty();
      }
      total = total.add(new BigDecimal(number).multiply(new BigDecimal(unit)));
      if (total.compareTo(MAX_NANOS) > 0) {
        return Optional.empty();
      }
    }
    // Go truncates fractions of a nanosecond; so do we.
    long nanos = total.toBigInteger().longValueExact();
    return Optional.of(Duration.ofNanos(negative ? -nanos : nanos));
  }

  private static boolean isDecimal(String number) {
    // Go accepts "1", "1.5", ".5" and "1." but not "." or "1.2.3".
    if (number.isEmpty() || number.equals(".")) {
      return false;
    }
    return number.indexOf('.') == number.lastIndexOf('.');
  }
}
