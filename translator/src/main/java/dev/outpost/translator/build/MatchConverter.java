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
    match.authority().ifPresent(a -> headers.add(new HeaderMatch(":authority", Optional.of(string(a, false)), false)));
    match.scheme().ifPresent(s -> headers.add(new HeaderMatch(":scheme", Optional.of(string(s, false)), false)));
    for (Map.Entry<String, dev.outpost.translator.model.StringMatch> header : match.headers().entrySet()) {
      headers.add(new HeaderMatch(header.getKey(), valueOrPresence(header.getValue()), false));
    }
    for (Map.Entry<String, dev.outpost.translator.model.StringMatch> header : match.withoutHeaders().entrySet()) {
      headers.add(headerAbsentOrDifferent(header.getKey(), header.getValue()));
    }
    ImmutableList.Builder<QueryParamMatch> params = ImmutableList.builder();
    for (Map.Entry<String, dev.outpost.translator.model.StringMatch> param : match.queryParams().entrySet()) {
      params.add(new QueryParamMatch(param.getKey(), valueOrPresence(param.getValue())));
    }
    return new RouteMatch(
        match.uri().map(uri -> string(uri, match.ignoreUriCase())),
        match.method().map(m -> string(m, false)),
        headers.build(),
        params.build());
  }

  /**
   * {@code withoutHeaders}: an empty value means "the header is absent" (Istio's idiom
   * {@code withoutHeaders: {x: {}}}), a value means "the header does not match it".
   */
  private static HeaderMatch headerAbsentOrDifferent(String name, dev.outpost.translator.model.StringMatch value) {
    return new HeaderMatch(name, valueOrPresence(value), true);
  }

  /**
   * Istio reads an empty value ({@code prefix: ""}, {@code exact: ""} on a query parameter) as
   * "present"; Envoy would reject an empty prefix, so it becomes a presence test.
   */
  private static Optional<StringMatch> valueOrPresence(dev.outpost.translator.model.StringMatch value) {
    return value.value().isEmpty() ? Optional.empty() : Optional.of(string(value, false));
  }

  static StringMatch string(dev.outpost.translator.model.StringMatch match, boolean ignoreCase) {
    StringMatch.Kind kind =
        switch (match.type()) {
          case EXACT -> StringMatch.Kind.EXACT;
          case PREFIX -> StringMatch.Kind.PREFIX;
          case REGEX -> StringMatch.Kind.REGEX;
        };
    return new StringMatch(kind, match.value(), ignoreCase);
  }
}
