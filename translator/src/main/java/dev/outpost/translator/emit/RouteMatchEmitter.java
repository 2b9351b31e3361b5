package dev.outpost.translator.emit;

import com.google.protobuf.BoolValue;
import dev.outpost.translator.ir.HeaderMatch;
import dev.outpost.translator.ir.QueryParamMatch;
import dev.outpost.translator.ir.RouteMatch;
import dev.outpost.translator.ir.StringMatch;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;

/** IR route conditions → Envoy's {@code RouteMatch}. */
public final class RouteMatchEmitter {

  public io.envoyproxy.envoy.config.route.v3.RouteMatch emit(RouteMatch match) {
    io.envoyproxy.envoy.config.route.v3.RouteMatch.Builder out =
        io.envoyproxy.envoy.config.route.v3.RouteMatch.newBuilder();
    if (match.connect()) {
      out.setConnectMatcher(
          io.envoyproxy.envoy.config.route.v3.RouteMatch.ConnectMatcher.getDefaultInstance());
    } else if (match.path().isEmpty()) {
      out.setPrefix("/");
    } else {
      StringMatch path = match.path().get();
      switch (path.kind()) {
        case EXACT -> out.setPath(path.value());
        case PREFIX -> out.setPrefix(path.value());
        case SUFFIX ->
            throw new IllegalArgumentException("a route path has no suffix match: " + path);
        // case_sensitive does not apply to safe_regex, so the regex carries the flag itself.
        case REGEX ->
            out.setSafeRegex(regex(path.ignoreCase() ? "(?i)" + path.value() : path.value()));
      }
      if (path.ignoreCase() && path.kind() != StringMatch.Kind.REGEX) {
        out.setCaseSensitive(BoolValue.of(false));
      }
    }
    match
        .method()
        .ifPresent(
            method -> out.addHeaders(header(new HeaderMatch(":method", match.method(), false))));
    for (HeaderMatch header : match.headers()) {
      out.addHeaders(header(header));
    }
    for (QueryParamMatch param : match.queryParams()) {
      QueryParameterMatcher.Builder matcher =
          QueryParameterMatcher.newBuilder().setName(param.name());
      if (param.value().isPresent()) {
        matcher.setStringMatch(stringMatcher(param.value().get()));
      } else {
        matcher.setPresentMatch(true);
      }
      out.addQueryParameters(matcher);
    }
    return out.build();
  }

  static HeaderMatcher header(HeaderMatch header) {
    HeaderMatcher.Builder out =
        HeaderMatcher.newBuilder().setName(header.name()).setInvertMatch(header.invert());
    if (header.value().isPresent()) {
      out.setStringMatch(stringMatcher(header.value().get()));
    } else {
      out.setPresentMatch(true);
    }
    return out.build();
  }

  static StringMatcher stringMatcher(StringMatch match) {
    StringMatcher.Builder out = StringMatcher.newBuilder();
    switch (match.kind()) {
      case EXACT -> out.setExact(match.value());
      case PREFIX -> out.setPrefix(match.value());
      case SUFFIX -> out.setSuffix(match.value());
      case REGEX -> out.setSafeRegex(regex(match.value()));
    }
    if (match.ignoreCase() && match.kind() != StringMatch.Kind.REGEX) {
      out.setIgnoreCase(true);
    }
    return out.build();
  }

  /** RE2 is Envoy's default regex engine; leaving engine_type unset avoids the deprecated field. */
  static RegexMatcher regex(String pattern) {
    return RegexMatcher.newBuilder().setRegex(pattern).build();
  }
}
