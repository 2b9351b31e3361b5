package dev.outpost.translator.ir;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** What a consistent-hash load balancer hashes on (DestinationRule {@code consistentHash}). */
public sealed interface HashPolicy {
  record Header(String name) implements HashPolicy {
    public Header {
      Objects.requireNonNull(name, "name");
    }
  }

  /** An HTTP cookie; with a TTL Envoy generates the cookie when the request has none. */
  record Cookie(String name, Optional<String> path, Optional<Duration> ttl) implements HashPolicy {
    public Cookie {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(ttl, "ttl");
    }
  }

  record SourceIp() implements HashPolicy {}

  record QueryParameter(String name) implements HashPolicy {
    public QueryParameter {
      Objects.requireNonNull(name, "name");
    }
  }
}
