package dev.outpost.translator.build;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.outpost.translator.api.ProxyIdentity;
import dev.outpost.translator.ir.FaultInjection;
import dev.outpost.translator.ir.HashPolicy;
import dev.outpost.translator.ir.HeaderOperations;
import dev.outpost.translator.ir.RetryPolicy;
import dev.outpost.translator.ir.Rewrite;
import dev.outpost.translator.ir.Route;
import dev.outpost.translator.ir.RouteAction;
import dev.outpost.translator.ir.RouteMatch;
import dev.outpost.translator.ir.WeightedDestination;
import dev.outpost.translator.model.Headers;
import dev.outpost.translator.model.HttpFaultInjection;
import dev.outpost.translator.model.HttpMatchRequest;
import dev.outpost.translator.model.HttpRedirect;
import dev.outpost.translator.model.HttpRetry;
import dev.outpost.translator.model.HttpRoute;
import dev.outpost.translator.model.HttpRouteDestination;
import dev.outpost.translator.model.VirtualService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A VirtualService's {@code http} rules, as they apply to one gateway and port, → IR routes. Each
 * applicable {@code match} entry becomes its own route (as Istio does), in order. A rule whose
 * destinations all fail to resolve is dropped with the reasons; it never points at a missing
 * cluster.
 */
final class RouteConverter {
  /** Istio's default retry policy, used when a rule says nothing about retries. */
  static final RetryPolicy ISTIO_DEFAULT_RETRIES =
      new RetryPolicy(
          2,
          Optional.empty(),
          "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes",
          ImmutableList.of(503));

  private static final Set<Integer> REDIRECT_CODES = ImmutableSet.of(301, 302, 303, 307, 308);

  private final DestinationResolver destinations;
  private final UpstreamTlsPolicy upstreamTls;
  private final ProxyIdentity proxy;
  private final DiagnosticSink diagnostics;

  RouteConverter(
      DestinationResolver destinations,
      UpstreamTlsPolicy upstreamTls,
      ProxyIdentity proxy,
      DiagnosticSink diagnostics) {
    this.destinations = destinations;
    this.upstreamTls = upstreamTls;
    this.proxy = proxy;
    this.diagnostics = diagnostics;
  }

  ImmutableList<Route> convert(VirtualService vs, String gatewayKey, int port) {
    String subject = Subjects.of(vs);
    String vsNamespace = vs.metadata().namespace();
    ImmutableList.Builder<Route> out = ImmutableList.builder();
    int rulesForElsewhere = 0;
    for (int i = 0; i < vs.http().size(); i++) {
      HttpRoute http = vs.http().get(i);
      String field = "spec.http[" + i + "]";
      List<HttpMatchRequest> applicable = new ArrayList<>();
      for (HttpMatchRequest match : http.match()) {
        if (appliesTo(match, gatewayKey, port, vsNamespace) && fromThisProxy(match)) {
          applicable.add(match);
        }
      }
      if (!http.match().isEmpty() && applicable.isEmpty()) {
        rulesForElsewhere++; // every match is for another gateway, port or source
        continue;
      }
      Optional<RouteAction> action = action(vs, http, field, subject);
      if (action.isEmpty()) {
        continue;
      }
      action = action.map(a -> authorityFromHeaders(a, http, subject, field));
      String baseName =
          http.name().orElse(Subjects.key(vs.metadata()) + "." + field.substring("spec.".length()));
      HeaderOperations request =
          http.headers()
              .map(h -> headerOps(h.request(), subject, field + ".headers.request"))
              .orElse(HeaderOperations.NONE);
      HeaderOperations response =
          http.headers()
              .map(h -> headerOps(h.response(), subject, field + ".headers.response"))
              .orElse(HeaderOperations.NONE);
      Optional<FaultInjection> fault =
          http.fault().flatMap(f -> fault(f, subject, field + ".fault"));
      boolean catchAll = false;
      if (applicable.isEmpty()) {
        out.add(new Route(baseName, RouteMatch.ANY, action.get(), request, response, fault));
        catchAll = true;
      }
      for (int j = 0; j < applicable.size() && !catchAll; j++) {
        HttpMatchRequest match = applicable.get(j);
        String name =
            match
                .name()
                .map(n -> baseName + "." + n)
                .orElse(applicable.size() == 1 ? baseName : baseName + "." + j);
        RouteMatch routeMatch = MatchConverter.convert(match);
        out.add(new Route(name, routeMatch, action.get(), request, response, fault));
        catchAll = routeMatch.isCatchAll();
      }
      if (catchAll) {
        // Nothing after a catch-all can match. Istio stops here too, which matters once merged
        // VirtualServices' catch-alls move to the end of the virtual host: the rules below must
        // not become reachable then.
        OptionalInt hidden = firstRuleApplying(vs, i + 1, gatewayKey, port);
        if (hidden.isPresent()) {
          diagnostics.warning(
              subject,
              "spec.http[" + hidden.getAsInt() + "]",
              "unreachable: "
                  + field
                  + " matches every request, so this rule and the ones after it never apply and"
                  + " are not sent to Envoy. Move the catch-all rule to the end.");
        }
        break;
      }
    }
    if (!vs.http().isEmpty() && rulesForElsewhere == vs.http().size()) {
      // Bound to this gateway and port, yet no rule applies: every request for its hosts gets
      // 404 here. Istio says nothing; a user whose port or gateway name is off by one needs to know.
      diagnostics.warning(
          subject,
          "spec.http",
          "the VirtualService is bound to gateway "
              + gatewayKey
              + " on port "
              + port
              + ", but every http rule's match names another port (match.port), gateway"
              + " (match.gateways) or source; requests for its hosts on this port get 404. Add a"
              + " rule without those conditions, or fix the port or gateway name");
    }
    return out.build();
  }

  /**
   * The first rule from {@code from} on that could apply to this gateway and port: rules that only
   * name other gateways or ports (the {@code mesh} half and the gateway half of one
   * VirtualService) are not hidden by a catch-all here, whatever their order.
   */
  private static OptionalInt firstRuleApplying(
      VirtualService vs, int from, String gatewayKey, int port) {
    String vsNamespace = vs.metadata().namespace();
    for (int j = from; j < vs.http().size(); j++) {
      HttpRoute later = vs.http().get(j);
      if (later.match().isEmpty()
          || later.match().stream().anyMatch(m -> appliesTo(m, gatewayKey, port, vsNamespace))) {
        return OptionalInt.of(j);
      }
    }
    return OptionalInt.empty();
  }

  /**
   * {@code match.gateways} narrows the VirtualService's gateways; {@code match.port} is the server
   * port.
   */
  private static boolean appliesTo(
      HttpMatchRequest match, String gatewayKey, int port, String vsNamespace) {
    if (match.port().isPresent() && match.port().get() != port) {
      return false;
    }
    return match.gateways().isEmpty()
        || match.gateways().stream()
            .anyMatch(g -> GatewayNames.resolve(g, vsNamespace).equals(gatewayKey));
  }

  /**
   * Istio compares {@code sourceLabels} and {@code sourceNamespace} with the proxy that builds the
   * route; on a gateway that is the gateway itself.
   */
  private boolean fromThisProxy(HttpMatchRequest match) {
    return Labels.fromProxy(match.sourceLabels(), match.sourceNamespace(), proxy);
  }

  private Optional<RouteAction> action(
      VirtualService vs, HttpRoute http, String field, String subject) {
    if (http.redirect().isPresent()) {
      return redirect(http.redirect().get(), subject, field + ".redirect");
    }
    if (http.directResponse().isPresent()) {
      var direct = http.directResponse().get();
      Optional<com.google.protobuf.ByteString> body =
          direct
              .body()
              .flatMap(
                  b ->
                      b.bytes()
                          .or(() -> b.string().map(com.google.protobuf.ByteString::copyFromUtf8)));
      if (body.isPresent() && body.get().size() > RouteAction.DirectResponse.MAX_BODY_BYTES) {
        // Envoy would reject the whole route config, every host on the port with it.
        diagnostics.error(
            subject,
            field + ".directResponse.body",
            "the body is "
                + body.get().size()
                + " bytes; Envoy accepts at most "
                + RouteAction.DirectResponse.MAX_BODY_BYTES
                + " (1 MiB, as Istio). The rule is skipped. Shorten the body.");
        return Optional.empty();
      }
      return Optional.of(new RouteAction.DirectResponse(direct.status(), body));
    }
    if (http.route().isEmpty()) {
      diagnostics.warning(
          subject,
          field,
          "rule has no route, redirect or directResponse that the gateway supports; it is"
              + " skipped.");
      return Optional.empty();
    }
    return forward(vs, http, field, subject);
  }

  private Optional<RouteAction> forward(
      VirtualService vs, HttpRoute http, String field, String subject) {
    List<WeightedDestination> resolved = new ArrayList<>();
    List<ImmutableList<HashPolicy>> hashes = new ArrayList<>();
    boolean single = http.route().size() == 1;
    for (int d = 0; d < http.route().size(); d++) {
      HttpRouteDestination destination = http.route().get(d);
      String destField = field + ".route[" + d + "]";
      if (destination.headers().isPresent()) {
        diagnostics.warning(
            subject,
            destField + ".headers",
            "per-destination header operations are not supported yet and are ignored; move them to "
                + field
                + ".headers to apply them to the whole rule.");
      }
      Optional<String> cluster =
          destinations.resolve(
              destination.destination(),
              vs.metadata().namespace(),
              subject,
              destField + ".destination");
      if (cluster.isEmpty()) {
        continue;
      }
      int weight = single ? 100 : destination.weight().orElse(0);
      resolved.add(new WeightedDestination(cluster.get(), weight));
      ClusterRef ref = destinations.referenced().get(cluster.get());
      if (ref == null) {
        continue; // the black hole of a cluster whose TLS cannot be set up: nothing to hash
      }
      upstreamTls.warnIfPlaintextToTlsPort(ref, subject, destField + ".destination");
      hashes.add(
          LoadBalancerPolicy.hashPolicies(
              EffectivePolicy.of(ref.rule(), ref.port().number(), ref.subset()).loadBalancer()));
    }
    if (resolved.isEmpty()) {
      diagnostics.error(
          subject,
          field,
          "no destination of this rule can be used (see the errors on its route[] entries), so the"
              + " rule is dropped.");
      return Optional.empty();
    }
    if (resolved.stream().mapToInt(WeightedDestination::weight).sum() == 0) {
      diagnostics.error(
          subject,
          field + ".route",
          "the destinations that remain all have weight 0, so no traffic could go anywhere; the"
              + " rule is dropped. Give at least one destination a positive weight.");
      return Optional.empty();
    }
    if (resolved.size() == 1) {
      resolved = List.of(new WeightedDestination(resolved.get(0).cluster(), 100));
    }
    ImmutableList<HashPolicy> hashPolicies = hashes.isEmpty() ? ImmutableList.of() : hashes.get(0);
    if (hashes.stream().anyMatch(h -> !h.equals(hashes.get(0)))) {
      diagnostics.warning(
          subject,
          field + ".route",
          "the destinations' DestinationRules hash on different keys; a route can carry one hash"
              + " policy, so none is set and consistent hashing does not apply to this rule.");
      hashPolicies = ImmutableList.of();
    }
    Optional<RetryPolicy> retries = retries(http.retries());
    if (!hashPolicies.isEmpty()) {
      // Istio: a hashed route retries on the host its hash picked, not on another one.
      retries = retries.map(RetryPolicy::onAnyHost);
    }
    return Optional.of(
        new RouteAction.Forward(
            ImmutableList.copyOf(resolved),
            http.rewrite().map(RouteConverter::rewrite),
            http.timeout().orElse(Duration.ZERO),
            retries,
            hashPolicies));
  }

  private static Rewrite rewrite(dev.outpost.translator.model.HttpRewrite rewrite) {
    return new Rewrite(
        rewrite.uri(),
        rewrite.uriRegexRewrite().map(r -> new Rewrite.RegexRewrite(r.match(), r.rewrite())),
        rewrite.authority());
  }

  /**
   * Istio: no {@code retries} means its default policy; {@code attempts: 0} means none. Status
   * codes in {@code retryOn} become retriable status codes.
   */
  static Optional<RetryPolicy> retries(Optional<HttpRetry> retries) {
    if (retries.isEmpty()) {
      return Optional.of(ISTIO_DEFAULT_RETRIES);
    }
    HttpRetry retry = retries.get();
    if (retry.attempts() <= 0) {
      return Optional.empty();
    }
    if (retry.retryOn().isEmpty()) {
      return Optional.of(
          new RetryPolicy(
              retry.attempts(),
              retry.perTryTimeout(),
              ISTIO_DEFAULT_RETRIES.retryOn(),
              ISTIO_DEFAULT_RETRIES.retriableStatusCodes()));
    }
    List<String> conditions = new ArrayList<>();
    ImmutableList.Builder<Integer> codes = ImmutableList.builder();
    boolean anyCode = false;
    for (String condition : retry.retryOn()) {
      if (!condition.isEmpty() && condition.chars().allMatch(Character::isDigit)) {
        codes.add(Integer.parseInt(condition));
        anyCode = true;
      } else {
        conditions.add(condition);
      }
    }
    if (anyCode && !conditions.contains("retriable-status-codes")) {
      conditions.add("retriable-status-codes");
    }
    return Optional.of(
        new RetryPolicy(
            retry.attempts(), retry.perTryTimeout(), String.join(",", conditions), codes.build()));
  }

  private Optional<RouteAction> redirect(HttpRedirect redirect, String subject, String field) {
    int code = redirect.redirectCode().orElse(301);
    if (!REDIRECT_CODES.contains(code)) {
      diagnostics.error(
          subject,
          field + ".redirectCode",
          "redirect code "
              + code
              + " is not one Envoy can send (301, 302, 303, 307, 308); the rule is dropped.");
      return Optional.empty();
    }
    if (redirect.derivePort().isPresent()) {
      diagnostics.warning(
          subject,
          field + ".derivePort",
          "derivePort is not supported yet and is ignored; the redirect keeps the request's port."
              + " Set port explicitly if it must change.");
    }
    return Optional.of(
        new RouteAction.Redirect(
            redirect.uri(),
            redirect.authority(),
            redirect.scheme(),
            redirect.port().map(OptionalInt::of).orElse(OptionalInt.empty()),
            code));
  }

  private Optional<FaultInjection> fault(HttpFaultInjection fault, String subject, String field) {
    Optional<FaultInjection.Delay> delay =
        fault
            .delay()
            .map(d -> new FaultInjection.Delay(d.fixedDelay(), d.percentage().orElse(100.0)));
    if (delay.isPresent()
        && !delay.get().fixedDelay().isNegative()
        && delay.get().fixedDelay().isZero()) {
      // Envoy requires a positive fixed delay; a zero delay injects nothing anyway.
      diagnostics.warning(
          subject, field + ".delay.fixedDelay", "a delay of 0s injects nothing and is ignored.");
      delay = Optional.empty();
    }
    Optional<FaultInjection.Abort> abort = Optional.empty();
    if (fault.abort().isPresent()) {
      HttpFaultInjection.Abort a = fault.abort().get();
      if (a.httpStatus().isPresent()) {
        abort =
            Optional.of(
                new FaultInjection.Abort(a.httpStatus().get(), a.percentage().orElse(100.0)));
      } else {
        diagnostics.warning(
            subject,
            field + ".abort.grpcStatus",
            "gRPC status aborts are not supported yet; this abort is ignored. Use httpStatus.");
      }
    }
    if (delay.isEmpty() && abort.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new FaultInjection(delay, abort));
  }

  /**
   * Envoy refuses to edit pseudo-headers ({@code :authority}, ...) and {@code host} through header
   * operations; such entries are dropped with a pointer to {@code rewrite.authority}, so the rest
   * of the route still loads.
   */
  private static boolean isAuthority(String header) {
    return header.equalsIgnoreCase("host") || header.equalsIgnoreCase(":authority");
  }

  /**
   * Istio turns a request header operation on {@code host} or {@code :authority} (set, else add)
   * into an authority rewrite, since Envoy cannot edit that header directly. An explicit {@code
   * rewrite.authority} wins.
   */
  private RouteAction authorityFromHeaders(
      RouteAction action, HttpRoute http, String subject, String field) {
    if (http.headers().isEmpty()) {
      return action;
    }
    Headers.HeaderOperations request = http.headers().get().request();
    Optional<String> authority =
        request.set().entrySet().stream()
            .filter(e -> isAuthority(e.getKey()))
            .map(Map.Entry::getValue)
            .findFirst()
            .or(
                () ->
                    request.add().entrySet().stream()
                        .filter(e -> isAuthority(e.getKey()))
                        .map(Map.Entry::getValue)
                        .findFirst());
    if (authority.isEmpty()) {
      return action;
    }
    if (!(action instanceof RouteAction.Forward forward)) {
      diagnostics.warning(
          subject,
          field + ".headers.request",
          "the host header value is ignored: it rewrites the authority sent to a destination, and"
              + " this rule redirects or responds directly.");
      return action;
    }
    if (forward.rewrite().flatMap(Rewrite::authority).isPresent()) {
      diagnostics.warning(
          subject,
          field + ".headers.request",
          "the host header value is ignored: rewrite.authority already sets the authority.");
      return action;
    }
    Rewrite rewrite =
        forward
            .rewrite()
            .map(r -> new Rewrite(r.pathPrefix(), r.pathRegex(), authority))
            .orElse(new Rewrite(Optional.empty(), Optional.empty(), authority));
    return new RouteAction.Forward(
        forward.destinations(),
        Optional.of(rewrite),
        forward.timeout(),
        forward.retries(),
        forward.hashPolicies());
  }

  private HeaderOperations headerOps(Headers.HeaderOperations ops, String subject, String field) {
    java.util.function.Predicate<String> editable =
        name -> {
          boolean ok = !name.startsWith(":") && !name.equalsIgnoreCase("host");
          if (!ok) {
            diagnostics.warning(
                subject,
                field,
                "header \""
                    + name
                    + "\" cannot be changed with header operations (Envoy rejects pseudo-headers"
                    + " and host there); it is ignored. Use rewrite.authority to change the"
                    + " authority.");
          }
          return ok;
        };
    // On requests, set/add of the authority becomes a rewrite (authorityFromHeaders), as in Istio.
    boolean request = field.endsWith(".request");
    java.util.function.Predicate<String> settable =
        name -> (request && isAuthority(name)) ? false : editable.test(name);
    return new HeaderOperations(
        com.google.common.collect.ImmutableSortedMap.copyOf(
            com.google.common.collect.Maps.filterKeys(ops.set(), settable::test)),
        com.google.common.collect.ImmutableSortedMap.copyOf(
            com.google.common.collect.Maps.filterKeys(ops.add(), settable::test)),
        ops.remove().stream().filter(editable).collect(ImmutableList.toImmutableList()));
  }
}
