package dev.outpost.translator.model;

import java.time.Duration;
import java.util.Optional;

/** {@code http[].fault}: inject delays and/or aborts. At least one is present. */
public record HttpFaultInjection(Optional<Delay> delay, Optional<Abort> abort) {

  /**
   * {@code fault.delay}.
   *
   * @param percentage 0-100 of requests delayed; absent = all (the deprecated integer {@code
   *     percent} is converted into this)
   */
  public record Delay(Duration fixedDelay, Optional<Double> percentage) {}

  /**
   * {@code fault.abort}: exactly one of {@code httpStatus} or {@code grpcStatus}.
   *
   * @param grpcStatus gRPC status name such as {@code UNAVAILABLE}
   * @param percentage 0-100 of requests aborted; absent = all
   */
  public record Abort(
      Optional<Integer> httpStatus, Optional<String> grpcStatus, Optional<Double> percentage) {}
}
