package dev.outpost.translator.build;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.ir.HeaderMatch;
import dev.outpost.translator.ir.QueryParamMatch;
import dev.outpost.translator.ir.RouteMatch;
import dev.outpost.translator.ir.StringMatch;
import dev.outpost.translator.model.HttpMatchRequest;
import java.util.Map;
import java.util.Optional;

/** A VirtualService {@code match} entry → IR route conditions. */
final class MatchConverter {
  private MatchConverter() {}

  static RouteMatch convert(HttpMatchRequest match) {
    ImmutableList.Builder<HeaderMatch> headers = ImmutableList.builder();
    // Istio matches authority and scheme as pseudo-headers.
    match
        .authority()
        .ifPresent(a -> headers.add(new HeaderMatch(":authority", valueOrPresence(a), false)));
    match
        .scheme()
        .ifPresent(s -> headers.add(new HeaderMatch(":scheme", valueOrPresence(s), false)));
    for (Map.Entry<String, dev.outpost.translator.model.StringMatch> header :
        match.headers().entrySet()) {
      headers.add(new HeaderMatch(header.getKey(), valueOrPresence(header.getValue()), false));
    }
    for (Map.Entry<String, dev.outpost.translator.model.StringMatch> header :
        match.withoutHeaders().entrySet()) {
      headers.add(headerAbsentOrDifferent(header.getKey(), header.getValue()));
    }
    ImmutableList.Builder<QueryParamMatch> params = ImmutableList.builder();
    for (Map.Entry<String, dev.outpost.translator.model.StringMatch> param :
        match.queryParams().entrySet()) {
      dev.outpost.translator.model.StringMatch value = param.getValue();
      // Istio reads `exact: ""` on a query parameter as "present".
      boolean presence =
          value.value().isEmpty()
              && value.type() == dev.outpost.translator.model.StringMatch.Type.EXACT;
      params.add(
          new QueryParamMatch(
              param.getKey(), presence ? Optional.empty() : valueOrPresence(value)));
    }
    return new RouteMatch(
        match
            .uri()
            .flatMap(uri -> valueOrPresence(uri))
            .map(uri -> withIgnoreCase(uri, match.ignoreUriCase())),
        match.method().flatMap(MatchConverter::valueOrPresence),
        headers.build(),
        params.build());
  }

  /**
   * {@code withoutHeaders}: an empty value means "the header is absent" (Istio's idiom {@code
   * withoutHeaders: {x: {}}}), a value means "the header does not match it".
   */
  private static HeaderMatch headerAbsentOrDifferent(
      String name, dev.outpost.translator.model.StringMatch value) {
    return new HeaderMatch(name, valueOrPresence(value), true);
  }

  /**
   * An empty match ({@code {}}, type PRESENT) tests presence only. Istio reads an empty prefix the
   * same way, and Envoy would reject an empty prefix, so it becomes a presence test too.
   */
  private static Optional<StringMatch> valueOrPresence(
      dev.outpost.translator.model.StringMatch value) {
    boolean presence =
        value.type() == dev.outpost.translator.model.StringMatch.Type.PRESENT
            || (value.value().isEmpty()
                && value.type() != dev.outpost.translator.model.StringMatch.Type.EXACT);
    return presence ? Optional.empty() : Optional.of(string(value));
  }

  private static StringMatch withIgnoreCase(StringMatch match, boolean ignoreCase) {
    return new StringMatch(match.kind(), match.value(), ignoreCase);
  }

  /** Only for matches with a value: callers route PRESENT through {@link #valueOrPresence}. */
  private static StringMatch string(dev.outpost.translator.model.StringMatch match) {
    StringMatch.Kind kind =
        switch (match.type()) {
          case EXACT -> StringMatch.Kind.EXACT;
          case PREFIX -> StringMatch.Kind.PREFIX;
          case REGEX -> StringMatch.Kind.REGEX;
          case PRESENT ->
              throw new IllegalArgumentException("a presence match has no value to compare");
        };
    return new StringMatch(kind, match.value(), false);
  }
}
