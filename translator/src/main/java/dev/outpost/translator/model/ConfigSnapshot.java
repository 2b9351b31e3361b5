package dev.outpost.translator.model;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.diag.Diagnostic;
import java.util.Objects;

/**
 * Every accepted input object at one instant, plus the diagnostics produced while reading them.
 * Immutable; the translator's only input besides the proxy's identity.
 */
public record ConfigSnapshot(
    ImmutableList<ServiceEntry> serviceEntries,
    ImmutableList<Gateway> gateways,
    ImmutableList<VirtualService> virtualServices,
    ImmutableList<DestinationRule> destinationRules,
    ImmutableList<KubeSecret> secrets,
    ImmutableList<Diagnostic> diagnostics) {

  public static final ConfigSnapshot EMPTY =
      new ConfigSnapshot(
          ImmutableList.of(), ImmutableList.of(), ImmutableList.of(), ImmutableList.of(), ImmutableList.of(), ImmutableList.of());

  public ConfigSnapshot {
    Objects.requireNonNull(serviceEntries, "serviceEntries");
    Objects.requireNonNull(gateways, "gateways");
    Objects.requireNonNull(virtualServices, "virtualServices");
    Objects.requireNonNull(destinationRules, "destinationRules");
    Objects.requireNonNull(secrets, "secrets");
    Objects.requireNonNull(diagnostics, "diagnostics");
  }
}
