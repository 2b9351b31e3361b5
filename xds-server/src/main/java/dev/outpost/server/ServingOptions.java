package dev.outpost.server;

import dev.outpost.server.admin.ReadinessCheck;
import dev.outpost.server.xds.IdentityResolver;
import dev.outpost.server.xds.ProxyLimits;
import java.util.Objects;

/**
 * What a config source decides about serving besides the config itself: who a connecting proxy is,
 * and what {@code /readyz} waits for. File mode trusts node metadata and is ready once a config is
 * loaded; Kubernetes mode checks proxies against their pods and waits for the watcher's sync.
 * Both cap what connecting proxies can make the server hold ({@code limits}, from the command line).
 */
public record ServingOptions(IdentityResolver identities, ReadinessCheck readiness, ProxyLimits limits) {
  public static final ServingOptions FILE = new ServingOptions(IdentityResolver.FROM_METADATA, ReadinessCheck.ALWAYS);

  public ServingOptions {
    Objects.requireNonNull(identities, "identities");
    Objects.requireNonNull(readiness, "readiness");
    Objects.requireNonNull(limits, "limits");
  }

  /** With the default {@link ProxyLimits}. */
  public ServingOptions(IdentityResolver identities, ReadinessCheck readiness) {
    this(identities, readiness, ProxyLimits.DEFAULTS);
  }

  public ServingOptions withLimits(ProxyLimits newLimits) {
    return new ServingOptions(identities, readiness, newLimits);
  }
}
