package dev.outpost.translator.api;

import java.time.Instant;
import java.util.Objects;

/**
 * What translation needs besides the config and the proxy, handed in by the caller so that the
 * translator stays a pure function (no clocks): the instant certificates are checked against
 * (expired credentials fail closed, soon-to-expire ones warn) and the mesh's SPIFFE trust domain.
 *
 * @param now the instant to check certificate validity at; the server passes its clock's time,
 *     golden tests a fixed instant
 * @param trustDomain the SPIFFE trust domain of mesh identities, {@code cluster.local} by default
 */
public record TranslationContext(Instant now, String trustDomain) {
  public static final String DEFAULT_TRUST_DOMAIN = "cluster.local";

  public TranslationContext {
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(trustDomain, "trustDomain");
    if (trustDomain.isBlank()) {
      throw new IllegalArgumentException("trust domain must not be blank");
    }
  }

  /** The default trust domain, certificates checked at {@code now}. */
  public static TranslationContext at(Instant now) {
    return new TranslationContext(now, DEFAULT_TRUST_DOMAIN);
  }
}
