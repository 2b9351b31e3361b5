package dev.outpost.server.xds;

import io.grpc.Status;
import java.util.Objects;

/**
 * A connecting proxy's stream is refused: the gRPC status Envoy sees, a metric label naming why
 * ({@code outpost_proxies_refused_total{reason}}), and a sentence saying what to fix.
 */
public final class RefusedProxyException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient Status.Code code;
  private final String reason;
  private final String logDetail;

  public RefusedProxyException(Status.Code code, String reason, String message) {
    this(code, reason, message, "");
  }

  /**
   * @param message what the proxy is told (the gRPC status description) and the log says
   * @param logDetail what only the log says: facts about the pod that a client claiming it must not
   *     learn from the refusal (e.g. the pod's IPs); empty for none
   */
  public RefusedProxyException(Status.Code code, String reason, String message, String logDetail) {
    super(message);
    this.code = Objects.requireNonNull(code, "code");
    this.reason = Objects.requireNonNull(reason, "reason");
    this.logDetail = Objects.requireNonNull(logDetail, "logDetail");
  }

  /** The status the stream is closed with (e.g. {@code UNAVAILABLE} makes Envoy retry soon). */
  public Status.Code code() {
    return code;
  }

  /** A short label for the metric: {@code invalid_metadata}, {@code namespace_mismatch}, ... */
  public String reason() {
    return reason;
  }

  /** For the log only, after the message; empty for none. */
  public String logDetail() {
    return logDetail;
  }
}
