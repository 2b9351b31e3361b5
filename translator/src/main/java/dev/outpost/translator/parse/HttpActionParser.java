package dev.outpost.translator.parse;

import com.google.common.collect.ImmutableList;
import com.google.protobuf.ByteString;
import dev.outpost.translator.model.HttpDirectResponse;
import dev.outpost.translator.model.HttpFaultInjection;
import dev.outpost.translator.model.HttpRedirect;
import dev.outpost.translator.model.HttpRetry;
import dev.outpost.translator.model.HttpRewrite;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/**
 * Reads what an HTTP rule does besides routing: redirect, direct response, rewrite, retries, fault.
 */
final class HttpActionParser {
  private static final Set<Integer> REDIRECT_CODES = Set.of(301, 302, 303, 307, 308);

  /** Envoy's retry_on policies that Istio accepts (HTTP and gRPC), besides status codes. */
  private static final Set<String> RETRY_ON =
      Set.of(
          "5xx",
          "gateway-error",
          "reset",
          "reset-before-request",
          "connect-failure",
          "retriable-4xx",
          "refused-stream",
          "retriable-status-codes",
          "retriable-headers",
          "envoy-ratelimited",
          "http3-post-connect-failure",
          "cancelled",
          "deadline-exceeded",
          "internal",
          "resource-exhausted",
          "unavailable");

  private static final Set<String> GRPC_CODES =
      Set.of(
          "OK",
          "CANCELLED",
          "UNKNOWN",
          "INVALID_ARGUMENT",
          "DEADLINE_EXCEEDED",
          "NOT_FOUND",
          "ALREADY_EXISTS",
          "PERMISSION_DENIED",
          "RESOURCE_EXHAUSTED",
          "FAILED_PRECONDITION",
          "ABORTED",
          "OUT_OF_RANGE",
          "UNIMPLEMENTED",
          "INTERNAL",
          "UNAVAILABLE",
          "DATA_LOSS",
          "UNAUTHENTICATED");

  private HttpActionParser() {}

  static HttpRedirect redirect(FieldReader r) {
    Optional<String> uri = r.string("uri");
    Optional<String> authority = r.string("authority");
    Optional<Integer> port = r.port("port");
    Optional<HttpRedirect.DerivePort> derivePort =
        r.enumValue("derivePort", HttpRedirect.DerivePort.class);
    Optional<String> scheme = r.string("scheme");
    Optional<Integer> code = r.integer("redirectCode");
    r.finish();
    if (port.isPresent() && derivePort.isPresent()) {
      r.error("derivePort", "cannot be combined with port; keep one");
    }
    if (uri.isEmpty()
        && authority.isEmpty()
        && port.isEmpty()
        && derivePort.isEmpty()
        && scheme.isEmpty()) {
      r.findings()
          .error(r.path(), "must set at least one of uri, authority, port, derivePort or scheme");
    }
    if (code.isPresent() && !REDIRECT_CODES.contains(code.get())) {
      r.error(
          "redirectCode", code.get() + " is not a redirect status; use 301, 302, 303, 307 or 308");
    }
    return new HttpRedirect(uri, authority, port, derivePort, scheme, code);
  }

  static HttpDirectResponse directResponse(FieldReader r) {
    Optional<Integer> status =
        r.intInRange("status", 200, 599, "HTTP status for a direct response");
    if (!r.has("status")) {
      r.error("status", "is required, e.g. 404");
    }
    Optional<HttpDirectResponse.Body> body = r.object("body").map(HttpActionParser::body);
    r.finish();
    return new HttpDirectResponse(status.orElse(0), body);
  }

  private static HttpDirectResponse.Body body(FieldReader b) {
    Optional<String> string = b.string("string");
    Optional<String> base64 = b.string("bytes");
    b.finish();
    Optional<ByteString> bytes = Optional.empty();
    if (base64.isPresent()) {
      try {
        bytes =
            Optional.of(
                ByteString.copyFrom(
                    Base64.getDecoder().decode(base64.get().replaceAll("[\\r\\n]", ""))));
      } catch (IllegalArgumentException e) {
        b.error("bytes", "is not valid base64");
      }
    }
    if (string.isPresent() == base64.isPresent()) {
      b.findings().error(b.path(), "set exactly one of string or bytes");
    }
    return new HttpDirectResponse.Body(string, bytes);
  }

  static HttpRewrite rewrite(FieldReader r) {
    Optional<String> uri = r.string("uri");
    Optional<String> authority = r.string("authority");
    Optional<HttpRewrite.RegexRewrite> regex =
        r.object("uriRegexRewrite").map(HttpActionParser::regexRewrite);
    r.finish();
    if (uri.isPresent() && regex.isPresent()) {
      r.error("uriRegexRewrite", "cannot be combined with uri; keep one");
    }
    if (uri.isEmpty() && authority.isEmpty() && regex.isEmpty()) {
      r.findings().error(r.path(), "must set uri, authority or uriRegexRewrite");
    }
    return new HttpRewrite(uri, authority, regex);
  }

  private static HttpRewrite.RegexRewrite regexRewrite(FieldReader r) {
    String match = r.requiredString("match");
    if (!r.has("rewrite")) {
      r.error("rewrite", "is required (it may be empty)");
    }
    String rewrite = r.string("rewrite").orElse("");
    r.finish();
    if (!match.isEmpty()) {
      RegexValidator.check(match).ifPresent(msg -> r.error("match", msg));
    }
    return new HttpRewrite.RegexRewrite(match, rewrite);
  }

  static HttpRetry retries(FieldReader r) {
    int attempts = r.nonNegative("attempts").orElse(0);
    Optional<Duration> perTryTimeout = r.duration("perTryTimeout", DurationRule.AT_LEAST_1MS);
    ImmutableList<String> retryOn = retryOn(r);
    Optional<Boolean> remote = r.bool("retryRemoteLocalities");
    r.notSupportedYet("retryRemoteLocalities", "retryIgnorePreviousHosts", "backoff");
    r.finish();
    return new HttpRetry(attempts, perTryTimeout, retryOn, remote);
  }

  private static ImmutableList<String> retryOn(FieldReader r) {
    Optional<String> text = r.string("retryOn");
    if (text.isEmpty()) {
      return ImmutableList.of();
    }
    ImmutableList.Builder<String> out = ImmutableList.builder();
    for (String part : text.get().split(",", -1)) {
      String policy = part.trim();
      if (RETRY_ON.contains(policy) || isStatusCode(policy)) {
        out.add(policy);
      } else {
        r.error(
            "retryOn",
            "\""
                + policy
                + "\" is not a retry condition; use Envoy's (5xx, gateway-error, connect-failure,"
                + " reset, retriable-4xx, refused-stream, ...) or an HTTP status code, separated by"
                + " commas");
      }
    }
    return out.build();
  }

  private static boolean isStatusCode(String s) {
    return s.matches("[1-5][0-9][0-9]");
  }

  static HttpFaultInjection fault(FieldReader r) {
    Optional<HttpFaultInjection.Delay> delay = r.object("delay").map(HttpActionParser::delay);
    Optional<HttpFaultInjection.Abort> abort = r.object("abort").map(HttpActionParser::abort);
    r.finish();
    if (!r.has("delay") && !r.has("abort")) {
      r.findings().error(r.path(), "must set delay and/or abort");
    }
    return new HttpFaultInjection(delay, abort);
  }

  private static HttpFaultInjection.Delay delay(FieldReader d) {
    d.notSupportedYet("exponentialDelay");
    Optional<Duration> fixed = d.duration("fixedDelay", DurationRule.AT_LEAST_1MS);
    if (!d.has("fixedDelay")) {
      d.error("fixedDelay", "is required, e.g. 5s");
    }
    Optional<Double> percentage = percentage(d);
    d.finish();
    return new HttpFaultInjection.Delay(fixed.orElse(Duration.ZERO), percentage);
  }

  private static HttpFaultInjection.Abort abort(FieldReader a) {
    Optional<Integer> http = a.intInRange("httpStatus", 200, 599, "HTTP status for an abort");
    Optional<String> grpc = a.string("grpcStatus");
    grpc.filter(g -> !GRPC_CODES.contains(g))
        .ifPresent(
            g ->
                a.error(
                    "grpcStatus", "\"" + g + "\" is not a gRPC status name such as UNAVAILABLE"));
    a.notSupportedYet("http2Error");
    Optional<Double> percentage = Fields.percent(a, "percentage");
    a.finish();
    int kinds = (a.has("httpStatus") ? 1 : 0) + (a.has("grpcStatus") ? 1 : 0);
    if (kinds != 1 && !a.has("http2Error")) {
      a.findings().error(a.path(), "set exactly one of httpStatus or grpcStatus");
    }
    return new HttpFaultInjection.Abort(http, grpc, percentage);
  }

  /** {@code percentage}, or the deprecated integer {@code percent} converted into it. */
  private static Optional<Double> percentage(FieldReader d) {
    Optional<Double> percentage = Fields.percent(d, "percentage");
    Optional<Integer> percent = d.intInRange("percent", 0, 100, "percentage");
    if (d.has("percent")) {
      if (d.has("percentage")) {
        d.error("percent", "cannot be combined with percentage; keep percentage");
      } else {
        d.warning("percent", "is deprecated; use percentage: {value: " + percent.orElse(0) + "}");
      }
    }
    return percentage.isPresent() ? percentage : percent.map(Integer::doubleValue);
  }
}
