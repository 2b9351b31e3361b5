package dev.outpost.server.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * A positive duration written as Istio and Kubernetes users write them ({@code 24h}, {@code 90m},
 * {@code 1h30m}, {@code 45s}, {@code 7d}) or in ISO-8601 ({@code PT24H}).
 */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  private static final Pattern WHOLE = Pattern.compile("(?:\\d+[dhms])+");
  private static final Pattern PART = Pattern.compile("(\\d+)([dhms])");

  @Override
  public Duration convert(String value) {
    Duration duration = parse(value.trim());
    if (duration.isZero() || duration.isNegative()) {
      throw new CommandLine.TypeConversionException("\"" + value + "\" must be longer than zero");
    }
    return duration;
  }

  private static Duration parse(String value) {
    if (WHOLE.matcher(value).matches()) {
      Duration total = Duration.ZERO;
      Matcher part = PART.matcher(value);
      while (part.find()) {
        long amount = Long.parseLong(part.group(1));
        total = total.plus(switch (part.group(2)) {
          case "d" -> Duration.ofDays(amount);
          case "h" -> Duration.ofHours(amount);
          case "m" -> Duration.ofMinutes(amount);
          default -> Duration.ofSeconds(amount);
        });
      }
      return total;
    }
    try {
      return Duration.parse(value);
    } catch (DateTimeParseException e) {
      throw new CommandLine.TypeConversionException(
          "\"" + value + "\" is not a duration; write e.g. 24h, 90m, 1h30m, 45s or 7d");
    }
  }
}
