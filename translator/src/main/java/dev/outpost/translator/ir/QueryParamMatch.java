package dev.outpost.translator.ir;

import java.util.Objects;
import java.util.Optional;

/** A query parameter condition; without a value it tests presence. */
public record QueryParamMatch(String name, Optional<StringMatch> value) {
  public QueryParamMatch {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
  }
}
