package dev.outpost.translator.parse;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.model.CorsPolicy;
import dev.outpost.translator.model.Delegate;
import dev.outpost.translator.model.Destination;
import dev.outpost.translator.model.Headers;
import dev.outpost.translator.model.HttpDirectResponse;
import dev.outpost.translator.model.HttpFaultInjection;
import dev.outpost.translator.model.HttpMatchRequest;
import dev.outpost.translator.model.HttpMirrorPolicy;
import dev.outpost.translator.model.HttpRedirect;
import dev.outpost.translator.model.HttpRetry;
import dev.outpost.translator.model.HttpRewrite;
import dev.outpost.translator.model.HttpRoute;
import dev.outpost.translator.model.HttpRouteDestination;
import dev.outpost.translator.model.StringMatch;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Reads one {@code http[]} rule of a VirtualService, with Istio's consistency rules. */
final class HttpRouteParser {
  private HttpRouteParser() {}

  static HttpRoute parse(FieldReader r) {
    Optional<String> name = r.string("name");
    ImmutableList.Builder<HttpMatchRequest> match = ImmutableList.builder();
    for (FieldReader m : r.objects("match")) {
      match.add(HttpMatchParser.parse(m));
    }
    ImmutableList<HttpRouteDestination> route = routes(r);
    Optional<HttpRedirect> redirect = r.object("redirect").map(HttpActionParser::redirect);
    Optional<HttpDirectResponse> directResponse =
        r.object("directResponse").map(HttpActionParser::directResponse);
    Optional<Delegate> delegate = r.object("delegate").map(HttpRouteParser::delegate);
    Optional<HttpRewrite> rewrite = r.object("rewrite").map(HttpActionParser::rewrite);
    Optional<Duration> timeout = r.duration("timeout", DurationRule.NON_NEGATIVE);
    Optional<HttpRetry> retries = r.object("retries").map(HttpActionParser::retries);
    Optional<HttpFaultInjection> fault = r.object("fault").map(HttpActionParser::fault);
    Optional<Destination> mirror =
        r.has("mirror") ? Fields.destination(r, "mirror") : Optional.empty();
    ImmutableList<HttpMirrorPolicy> mirrors = mirrors(r);
    Optional<Double> mirrorPercentage = Fields.percent(r, "mirrorPercentage");
    Optional<CorsPolicy> corsPolicy = r.object("corsPolicy").map(HttpRouteParser::cors);
    Optional<Headers> headers = Fields.headers(r, "headers");
    r.notSupportedYet(
        "mirror",
        "mirrors",
        "mirrorPercentage",
        "mirror_percent",
        "mirrorPercent",
        "corsPolicy",
        "delegate");
    r.finish();

    int actions =
        (r.isMissingOrEmpty("route") ? 0 : 1)
            + (redirect.isPresent() ? 1 : 0)
            + (directResponse.isPresent() ? 1 : 0)
            + (delegate.isPresent() ? 1 : 0);
    if (actions == 0) {
      r.findings().error(r.path(), "needs one of route, redirect, directResponse or delegate");
    } else if (actions > 1) {
      r.findings()
          .error(
              r.path(),
              "route, redirect, directResponse and delegate are mutually exclusive; keep one");
    }
    if (rewrite.isPresent() && (redirect.isPresent() || directResponse.isPresent())) {
      r.error("rewrite", "cannot be combined with redirect or directResponse");
    }
    return new HttpRoute(
        name,
        match.build(),
        route,
        redirect,
        directResponse,
        delegate,
        rewrite,
        timeout,
        retries,
        fault,
        mirror,
        mirrors,
        mirrorPercentage,
        corsPolicy,
        headers);
  }

  private static ImmutableList<HttpRouteDestination> routes(FieldReader r) {
    ImmutableList.Builder<HttpRouteDestination> out = ImmutableList.builder();
    List<FieldReader> readers = r.objects("route");
    int total = 0;
    for (FieldReader d : readers) {
      Optional<Integer> weight = d.nonNegative("weight");
      Optional<Headers> headers = Fields.headers(d, "headers");
      Optional<Destination> destination = Fields.destination(d, "destination");
      d.finish();
      destination.ifPresent(dest -> out.add(new HttpRouteDestination(dest, weight, headers)));
      total += weight.orElse(0);
    }
    L4RouteParser.checkWeights(r, readers.size(), total);
    return out.build();
  }

  private static Delegate delegate(FieldReader d) {
    String name = d.requiredString("name");
    Optional<String> namespace = d.string("namespace");
    d.finish();
    return new Delegate(name, namespace);
  }

  private static ImmutableList<HttpMirrorPolicy> mirrors(FieldReader r) {
    ImmutableList.Builder<HttpMirrorPolicy> out = ImmutableList.builder();
    for (FieldReader m : r.objects("mirrors")) {
      Optional<Destination> destination = Fields.destination(m, "destination");
      Optional<Double> percentage = Fields.percent(m, "percentage");
      m.finish();
      destination.ifPresent(d -> out.add(new HttpMirrorPolicy(d, percentage)));
    }
    return out.build();
  }

  private static CorsPolicy cors(FieldReader c) {
    ImmutableList.Builder<StringMatch> origins = ImmutableList.builder();
    for (FieldReader o : c.objects("allowOrigins")) {
      StringMatches.one(o).ifPresent(origins::add);
    }
    ImmutableList<String> methods = c.strings("allowMethods");
    ImmutableList<String> allowHeaders = c.strings("allowHeaders");
    ImmutableList<String> exposeHeaders = c.strings("exposeHeaders");
    Optional<Duration> maxAge = c.duration("maxAge", DurationRule.NON_NEGATIVE);
    Optional<Boolean> credentials = c.bool("allowCredentials");
    c.notSupportedYet("allowOrigin", "unmatchedPreflights");
    c.finish();
    return new CorsPolicy(
        origins.build(), methods, allowHeaders, exposeHeaders, maxAge, credentials);
  }
}
