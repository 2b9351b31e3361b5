package dev.outpost.translator.ir;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** Fault injection on a route. Percentages are 0..100 as in Istio. */
public record FaultInjection(Optional<Delay> delay, Optional<Abort> abort) {
  public FaultInjection {
    Objects.requireNonNull(delay, "delay");
    Objects.requireNonNull(abort, "abort");
    if (delay.isEmpty() && abort.isEmpty()) {
      throw new IllegalArgumentException("a fault needs a delay or an abort");
    }
  }

  public record Delay(Duration fixedDelay, double percentage) {
    public Delay {
      Objects.requireNonNull(fixedDelay, "fixedDelay");
    }
  }

  public record Abort(int httpStatus, double percentage) {}
}
