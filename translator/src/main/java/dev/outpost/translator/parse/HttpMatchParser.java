package dev.outpost.translator.parse;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import dev.outpost.translator.model.HttpMatchRequest;
import dev.outpost.translator.model.StringMatch;
import java.util.Optional;

/** Reads one {@code http[].match[]} entry. */
final class HttpMatchParser {
  private HttpMatchParser() {}

  static HttpMatchRequest parse(FieldReader m) {
    Optional<String> name = m.string("name");
    Optional<StringMatch> uri = StringMatches.single(m, "uri");
    Optional<StringMatch> scheme = StringMatches.single(m, "scheme");
    Optional<StringMatch> method = StringMatches.single(m, "method");
    Optional<StringMatch> authority = StringMatches.single(m, "authority");
    ImmutableSortedMap<String, StringMatch> headers = StringMatches.map(m, "headers", true, true);
    ImmutableSortedMap<String, StringMatch> withoutHeaders =
        StringMatches.map(m, "withoutHeaders", true, true);
    // Istio supports only exact and regex for query parameters.
    ImmutableSortedMap<String, StringMatch> queryParams =
        StringMatches.map(m, "queryParams", false, false);
    Optional<Integer> port = m.port("port");
    ImmutableSortedMap<String, String> sourceLabels = Fields.labels(m, "sourceLabels");
    ImmutableList<String> gateways = Fields.gatewayNames(m, "gateways");
    boolean ignoreUriCase = m.bool("ignoreUriCase").orElse(false);
    if (ignoreUriCase) {
      // Envoy gets the regex with (?i) in front (RouteMatchEmitter), and case folding can make
      // RE2's program larger (k and s have a third, non-ASCII case variant).
      uri.filter(u -> u.type() == StringMatch.Type.REGEX)
          .flatMap(u -> RegexLimits.problem("(?i)" + u.value()))
          .ifPresent(problem -> m.error("uri.regex", "with ignoreUriCase (sent as (?i)...): " + problem));
    }
    Optional<String> sourceNamespace = m.string("sourceNamespace");
    for (String f : java.util.List.of("sourceLabels", "sourceNamespace")) {
      if (m.has(f)) {
        // Istio's semantics, which RouteConverter follows: the match is evaluated against the
        // proxy that builds the route. Users often expect the client workload instead.
        m.warning(
            f,
            "is compared with the proxy that receives this route, as in Istio: on a gateway that is"
                + " the gateway itself, not the workload that sent the request, so this match"
                + " applies to all traffic or none. To allow or deny by client workload, use an"
                + " AuthorizationPolicy on the gateway.");
      }
    }
    m.notSupportedYet("statPrefix");
    m.finish();
    return new HttpMatchRequest(
        name,
        uri,
        scheme,
        method,
        authority,
        headers,
        withoutHeaders,
        queryParams,
        port,
        sourceLabels,
        gateways,
        ignoreUriCase,
        sourceNamespace);
  }
}
