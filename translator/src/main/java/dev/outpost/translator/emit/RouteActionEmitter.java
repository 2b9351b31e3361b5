package dev.outpost.translator.emit;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import dev.outpost.translator.ir.HashPolicy;
import dev.outpost.translator.ir.RetryPolicy;
import dev.outpost.translator.ir.Rewrite;
import dev.outpost.translator.ir.RouteAction;
import dev.outpost.translator.ir.WeightedDestination;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatchAndSubstitute;

/** IR route actions → the action part of an Envoy {@code Route}. */
public final class RouteActionEmitter {
  static final String PREVIOUS_HOSTS = "envoy.retry_host_predicates.previous_hosts";
  private static final int HOST_SELECTION_ATTEMPTS = 5;

  /** Sets the route's action (route, redirect or direct_response) on {@code route}. */
  public void emit(RouteAction action, Route.Builder route) {
    // Java 17 has no pattern switch; the interface is sealed, so these three are all there is.
    if (action instanceof RouteAction.Forward forward) {
      route.setRoute(forward(forward));
    } else if (action instanceof RouteAction.Redirect redirect) {
      route.setRedirect(redirect(redirect));
    } else if (action instanceof RouteAction.DirectResponse direct) {
      route.setDirectResponse(direct(direct));
    }
  }

  private io.envoyproxy.envoy.config.route.v3.RouteAction forward(RouteAction.Forward forward) {
    io.envoyproxy.envoy.config.route.v3.RouteAction.Builder out =
        io.envoyproxy.envoy.config.route.v3.RouteAction.newBuilder();
    if (forward.destinations().size() == 1) {
      out.setCluster(forward.destinations().get(0).cluster());
    } else {
      WeightedCluster.Builder weighted = WeightedCluster.newBuilder();
      for (WeightedDestination destination : forward.destinations()) {
        weighted.addClusters(
            WeightedCluster.ClusterWeight.newBuilder()
                .setName(destination.cluster())
                .setWeight(UInt32Value.of(destination.weight())));
      }
      out.setWeightedClusters(weighted);
    }
    out.setTimeout(ProtoValues.duration(forward.timeout()));
    // As Istio: the same limit for streams, and a gRPC client's grpc-timeout header is honoured
    // up to it (0: honoured as sent). Without this block Envoy ignores grpc-timeout.
    out.setMaxStreamDuration(
        io.envoyproxy.envoy.config.route.v3.RouteAction.MaxStreamDuration.newBuilder()
            .setMaxStreamDuration(ProtoValues.duration(forward.timeout()))
            .setGrpcTimeoutHeaderMax(ProtoValues.duration(forward.timeout())));
    forward.rewrite().ifPresent(rewrite -> rewrite(rewrite, out));
    forward.retries().ifPresent(retries -> out.setRetryPolicy(retry(retries)));
    for (HashPolicy policy : forward.hashPolicies()) {
      out.addHashPolicy(hashPolicy(policy));
    }
    return out.build();
  }

  private static void rewrite(
      Rewrite rewrite, io.envoyproxy.envoy.config.route.v3.RouteAction.Builder out) {
    rewrite.pathPrefix().ifPresent(out::setPrefixRewrite);
    rewrite
        .pathRegex()
        .ifPresent(
            regex ->
                out.setRegexRewrite(
                    RegexMatchAndSubstitute.newBuilder()
                        .setPattern(RouteMatchEmitter.regex(regex.pattern()))
                        .setSubstitution(regex.substitution())));
    rewrite.authority().ifPresent(out::setHostRewriteLiteral);
  }

  private static io.envoyproxy.envoy.config.route.v3.RetryPolicy retry(RetryPolicy retries) {
    io.envoyproxy.envoy.config.route.v3.RetryPolicy.Builder out =
        io.envoyproxy.envoy.config.route.v3.RetryPolicy.newBuilder()
            .setRetryOn(retries.retryOn())
            .setNumRetries(UInt32Value.of(retries.attempts()))
            .addAllRetriableStatusCodes(retries.retriableStatusCodes());
    retries
        .perTryTimeout()
        .ifPresent(timeout -> out.setPerTryTimeout(ProtoValues.duration(timeout)));
    // As Istio: up to 5 picks to find a host the predicate accepts, so a retry after a failed
    // connection goes to another address of the service when it has one.
    out.setHostSelectionRetryMaxAttempts(HOST_SELECTION_ATTEMPTS);
    if (retries.preferOtherHosts()) {
      out.addRetryHostPredicate(
          io.envoyproxy.envoy.config.route.v3.RetryPolicy.RetryHostPredicate.newBuilder()
              .setName(PREVIOUS_HOSTS)
              .setTypedConfig(Any.pack(PreviousHostsPredicate.getDefaultInstance())));
    }
    return out.build();
  }

  private static io.envoyproxy.envoy.config.route.v3.RouteAction.HashPolicy hashPolicy(
      HashPolicy policy) {
    var out = io.envoyproxy.envoy.config.route.v3.RouteAction.HashPolicy.newBuilder();
    if (policy instanceof HashPolicy.Header header) {
      out.setHeader(
          io.envoyproxy.envoy.config.route.v3.RouteAction.HashPolicy.Header.newBuilder()
              .setHeaderName(header.name()));
    } else if (policy instanceof HashPolicy.Cookie cookie) {
      var c =
          io.envoyproxy.envoy.config.route.v3.RouteAction.HashPolicy.Cookie.newBuilder()
              .setName(cookie.name());
      cookie.path().ifPresent(c::setPath);
      cookie.ttl().ifPresent(ttl -> c.setTtl(ProtoValues.duration(ttl)));
      out.setCookie(c);
    } else if (policy instanceof HashPolicy.SourceIp) {
      out.setConnectionProperties(
          io.envoyproxy.envoy.config.route.v3.RouteAction.HashPolicy.ConnectionProperties
              .newBuilder()
              .setSourceIp(true));
    } else if (policy instanceof HashPolicy.QueryParameter param) {
      out.setQueryParameter(
          io.envoyproxy.envoy.config.route.v3.RouteAction.HashPolicy.QueryParameter.newBuilder()
              .setName(param.name()));
    }
    return out.build();
  }

  private static RedirectAction redirect(RouteAction.Redirect redirect) {
    RedirectAction.Builder out = RedirectAction.newBuilder();
    redirect.path().ifPresent(out::setPathRedirect);
    redirect.authority().ifPresent(out::setHostRedirect);
    redirect.scheme().ifPresent(out::setSchemeRedirect);
    redirect.port().ifPresent(out::setPortRedirect);
    out.setResponseCode(redirectCode(redirect.responseCode()));
    return out.build();
  }

  static RedirectAction.RedirectResponseCode redirectCode(int code) {
    return switch (code) {
      case 301 -> RedirectAction.RedirectResponseCode.MOVED_PERMANENTLY;
      case 302 -> RedirectAction.RedirectResponseCode.FOUND;
      case 303 -> RedirectAction.RedirectResponseCode.SEE_OTHER;
      case 307 -> RedirectAction.RedirectResponseCode.TEMPORARY_REDIRECT;
      case 308 -> RedirectAction.RedirectResponseCode.PERMANENT_REDIRECT;
      default -> throw new IllegalArgumentException("Envoy cannot redirect with status " + code);
    };
  }

  private static DirectResponseAction direct(RouteAction.DirectResponse direct) {
    DirectResponseAction.Builder out = DirectResponseAction.newBuilder().setStatus(direct.status());
    // Text stays readable in config dumps; anything else goes as bytes.
    direct
        .body()
        .ifPresent(
            body ->
                out.setBody(
                    body.isValidUtf8()
                        ? DataSource.newBuilder().setInlineString(body.toStringUtf8())
                        : DataSource.newBuilder().setInlineBytes(body)));
    return out.build();
  }
}
