package dev.outpost.translator.check;

import com.google.protobuf.Duration;
import com.google.protobuf.util.Durations;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes PGV's violation reasons read well in one line. PGV appends a duration limit with {@code
 * toString()}, i.e. in protobuf text format: multi-line ({@code seconds: 5\nnanos: 0}) and empty
 * for a zero duration, which leaves "must be greater than " with nothing after it.
 */
final class PgvReasons {
  private static final Pattern TEXT_DURATION =
      Pattern.compile("seconds: (-?\\d+)(?: nanos: (-?\\d+))?|nanos: (-?\\d+)");

  private PgvReasons() {}

  static String readable(String reason) {
    String oneLine = reason.replaceAll("\\s+", " ").strip();
    Matcher matcher = TEXT_DURATION.matcher(oneLine);
    StringBuilder result = new StringBuilder();
    while (matcher.find()) {
      long seconds = matcher.group(1) == null ? 0 : Long.parseLong(matcher.group(1));
      String nanosText = matcher.group(2) != null ? matcher.group(2) : matcher.group(3);
      int nanos = nanosText == null ? 0 : Integer.parseInt(nanosText);
      String duration;
      try {
        duration =
            Durations.toString(Duration.newBuilder().setSeconds(seconds).setNanos(nanos).build());
      } catch (IllegalArgumentException outOfRange) {
        duration = matcher.group(); // not a valid Duration: leave PGV's text as it was
      }
      matcher.appendReplacement(result, Matcher.quoteReplacement(duration));
    }
    matcher.appendTail(result);
    String text = result.toString();
    // Only message-typed limits (durations in Envoy's API) can print as nothing: a zero one.
    if (text.endsWith(" than") || text.endsWith(" to")) {
      text += " 0s";
    }
    return text;
  }
}
