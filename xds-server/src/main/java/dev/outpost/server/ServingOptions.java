package dev.outpost.server;

import dev.outpost.server.admin.ReadinessCheck;
import dev.outpost.server.xds.IdentityResolver;
import java.util.Objects;

/**
 * What a config source decides about serving besides the config itself: who a connecting proxy is,
 * and what {@code /readyz} waits for. File mode trusts node metadata and is ready once a config is
 * loaded; Kubernetes mode checks proxies against their pods and waits for the watcher's sync.
 */
public record ServingOptions(IdentityResolver identities, ReadinessCheck readiness) {
  public static final ServingOptions FILE = new ServingOptions(IdentityResolver.FROM_METADATA, ReadinessCheck.ALWAYS);

  public ServingOptions {
    Objects.requireNonNull(identities, "identities");
    Objects.requireNonNull(readiness, "readiness");
  }
}
