package dev.outpost.translator.api;

import java.util.Locale;
import java.util.Optional;

/** What a connected Envoy is for; node metadata {@code ROLE}. */
public enum ProxyRole {
  /** An egress gateway: receives traffic from the mesh and sends it out of the cluster. */
  GATEWAY,
  /** A workload-side proxy: sends the application's egress traffic to a gateway. */
  CLIENT;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<ProxyRole> fromWireName(String value) {
    for (ProxyRole role : values()) {
      if (role.wireName().equalsIgnoreCase(value)) {
        return Optional.of(role);
      }
    }
    return Optional.empty();
  }
}
