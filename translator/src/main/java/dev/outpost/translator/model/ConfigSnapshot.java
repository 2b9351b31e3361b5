package dev.outpost.translator.model;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.diag.Diagnostic;
import java.util.List;
import java.util.Objects;

/**
 * Every accepted input object at one instant, plus the diagnostics produced while reading them.
 * Immutable; the translator's only input besides the proxy's identity.
 *
 * <p>{@code services}, {@code endpointSlices} and {@code pods} are the Kubernetes service registry
 * (in-cluster destinations): empty in file mode unless the directory holds such objects. {@code
 * sidecars} and {@code meshConfigs} shape what client proxies get ({@link MeshConfig}: the
 * ConfigMap {@code istio}). {@code authorizationPolicies} and {@code envoyFilters} are the policy
 * applied at gateways (RBAC filters; patches to the generated resources).
 */
public record ConfigSnapshot(
    ImmutableList<ServiceEntry> serviceEntries,
    ImmutableList<Gateway> gateways,
    ImmutableList<VirtualService> virtualServices,
    ImmutableList<DestinationRule> destinationRules,
    ImmutableList<KubeSecret> secrets,
    ImmutableList<KubeService> services,
    ImmutableList<KubeEndpointSlice> endpointSlices,
    ImmutableList<KubePod> pods,
    ImmutableList<Sidecar> sidecars,
    ImmutableList<MeshConfig> meshConfigs,
    ImmutableList<AuthorizationPolicy> authorizationPolicies,
    ImmutableList<EnvoyFilter> envoyFilters,
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
    Objects.requireNonNull(services, "services");
    Objects.requireNonNull(endpointSlices, "endpointSlices");
    Objects.requireNonNull(pods, "pods");
    Objects.requireNonNull(sidecars, "sidecars");
    Objects.requireNonNull(meshConfigs, "meshConfigs");
    Objects.requireNonNull(authorizationPolicies, "authorizationPolicies");
    Objects.requireNonNull(envoyFilters, "envoyFilters");
    Objects.requireNonNull(diagnostics, "diagnostics");
  }

  /** The same resources with other diagnostics (sorted by {@link Diagnostic#ORDER}). */
  public ConfigSnapshot withDiagnostics(List<Diagnostic> newDiagnostics) {
    return new ConfigSnapshot(
        serviceEntries,
        gateways,
        virtualServices,
        destinationRules,
        secrets,
        services,
        endpointSlices,
        pods,
        sidecars,
        meshConfigs,
        authorizationPolicies,
        envoyFilters,
        ImmutableList.sortedCopyOf(Diagnostic.ORDER, newDiagnostics));
  }

  /** A snapshot without AuthorizationPolicies and EnvoyFilters. */
  public ConfigSnapshot(
      ImmutableList<ServiceEntry> serviceEntries,
      ImmutableList<Gateway> gateways,
      ImmutableList<VirtualService> virtualServices,
      ImmutableList<DestinationRule> destinationRules,
      ImmutableList<KubeSecret> secrets,
      ImmutableList<KubeService> services,
      ImmutableList<KubeEndpointSlice> endpointSlices,
      ImmutableList<KubePod> pods,
      ImmutableList<Sidecar> sidecars,
      ImmutableList<MeshConfig> meshConfigs,
      ImmutableList<Diagnostic> diagnostics) {
    this(
        serviceEntries,
        gateways,
        virtualServices,
        destinationRules,
        secrets,
        services,
        endpointSlices,
        pods,
        sidecars,
        meshConfigs,
        ImmutableList.of(),
        ImmutableList.of(),
        diagnostics);
  }

  /** A snapshot without Sidecars and mesh config. */
  public ConfigSnapshot(
      ImmutableList<ServiceEntry> serviceEntries,
      ImmutableList<Gateway> gateways,
      ImmutableList<VirtualService> virtualServices,
      ImmutableList<DestinationRule> destinationRules,
      ImmutableList<KubeSecret> secrets,
      ImmutableList<KubeService> services,
      ImmutableList<KubeEndpointSlice> endpointSlices,
      ImmutableList<KubePod> pods,
      ImmutableList<Diagnostic> diagnostics) {
    this(
        serviceEntries,
        gateways,
        virtualServices,
        destinationRules,
        secrets,
        services,
        endpointSlices,
        pods,
        ImmutableList.of(),
        ImmutableList.of(),
        diagnostics);
  }

  /** A snapshot of Istio resources and Secrets only, without in-cluster Services. */
  public ConfigSnapshot(
      ImmutableList<ServiceEntry> serviceEntries,
      ImmutableList<Gateway> gateways,
      ImmutableList<VirtualService> virtualServices,
      ImmutableList<DestinationRule> destinationRules,
      ImmutableList<KubeSecret> secrets,
      ImmutableList<Diagnostic> diagnostics) {
    this(
        serviceEntries,
        gateways,
        virtualServices,
        destinationRules,
        secrets,
        ImmutableList.of(),
        ImmutableList.of(),
        ImmutableList.of(),
        diagnostics);
  }
}
