package dev.outpost.translator.ir;

import java.util.Objects;
import java.util.Optional;

/**
 * A request header condition. Without a value it tests presence; {@code invert} turns it into
 * "absent" or "does not match" (Istio's {@code withoutHeaders}).
 */
public record HeaderMatch(String name, Optional<StringMatch> value, boolean invert) {
  public HeaderMatch {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
  }

  public static HeaderMatch present(String name) {
    return new HeaderMatch(name, Optional.empty(), false);
  }

  public static HeaderMatch absent(String name) {
    return new HeaderMatch(name, Optional.empty(), true);
  }
}
