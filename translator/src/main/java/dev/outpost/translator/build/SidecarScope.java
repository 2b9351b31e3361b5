package dev.outpost.translator.build;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.api.ProxyIdentity;
import dev.outpost.translator.model.ConfigSnapshot;
import dev.outpost.translator.model.MeshConfig;
import dev.outpost.translator.model.OutboundTrafficMode;
import dev.outpost.translator.model.Sidecar;
import dev.outpost.translator.model.SidecarEgress;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What the Sidecar resource and the mesh config make of one client proxy: which hosts it may
 * reach through its HTTP proxy listener, which extra listeners it gets, and what happens to hosts
 * nobody declared.
 *
 * <p>The Sidecar is chosen as Istio chooses it: in the proxy's namespace, one whose {@code
 * workloadSelector} matches the proxy's labels, else one without a selector; failing both, one
 * without a selector in the root namespace {@code istio-system} (the mesh-wide default). Where
 * several qualify, the first by name wins and the others are reported.
 */
final class SidecarScope {
  /** Where the HTTP proxy listener binds unless the Sidecar says otherwise: only the pod's apps. */
  static final String DEFAULT_BIND = "127.0.0.1";

  private final Optional<Sidecar> sidecar;
  private final SidecarHosts proxyHosts;
  private final Optional<String> proxyBind;
  private final ImmutableList<SidecarEgress> portListeners;
  private final OutboundTrafficMode mode;
  private final String proxyNamespace;

  SidecarScope(ConfigSnapshot snapshot, ProxyIdentity proxy, DiagnosticSink diagnostics) {
    this.proxyNamespace = proxy.namespace();
    this.sidecar = choose(snapshot.sidecars(), proxy, diagnostics);
    Optional<SidecarEgress> catchAll =
        sidecar.flatMap(s -> s.egress().stream().filter(e -> e.port().isEmpty()).findFirst());
    if (sidecar.isPresent() && !sidecar.get().egress().isEmpty()) {
      // A Sidecar with egress listeners only on ports reaches nothing through the HTTP proxy, as
      // an Istio sidecar with no catch-all egress listener captures nothing else.
      this.proxyHosts =
          new SidecarHosts(
              catchAll.map(SidecarEgress::hosts).orElse(ImmutableList.of()), proxy.namespace());
    } else {
      this.proxyHosts = SidecarHosts.EVERYTHING;
    }
    this.proxyBind = catchAll.flatMap(SidecarEgress::bind);
    this.portListeners =
        sidecar
            .map(s -> s.egress().stream().filter(e -> e.port().isPresent()))
            .map(s -> s.collect(ImmutableList.toImmutableList()))
            .orElse(ImmutableList.of());
    this.mode =
        sidecar
            .flatMap(Sidecar::outboundTrafficMode)
            .or(() -> meshMode(snapshot.meshConfigs()))
            .orElse(OutboundTrafficMode.REGISTRY_ONLY);
  }

  /** The hosts the HTTP proxy listener serves. */
  SidecarHosts proxyHosts() {
    return proxyHosts;
  }

  /** The hosts a port listener's egress entry lists. */
  SidecarHosts hostsOf(SidecarEgress egress) {
    return new SidecarHosts(egress.hosts(), proxyNamespace);
  }

  /** Whether a VirtualService names a host some egress entry of the Sidecar lists. */
  boolean admitsVirtualService(dev.outpost.translator.model.VirtualService vs) {
    String namespace = vs.metadata().namespace();
    return proxyHosts.admitsAny(namespace, vs.hosts())
        || portListeners.stream().anyMatch(e -> hostsOf(e).admitsAny(namespace, vs.hosts()));
  }

  /** The HTTP proxy listener's address. */
  String proxyBind() {
    return proxyBind.orElse(DEFAULT_BIND);
  }

  /** Egress entries with a port: a listener each, which applications address directly. */
  ImmutableList<SidecarEgress> portListeners() {
    return portListeners;
  }

  OutboundTrafficMode mode() {
    return mode;
  }

  /** The chosen Sidecar, for diagnostics. */
  Optional<Sidecar> sidecar() {
    return sidecar;
  }

  private static Optional<OutboundTrafficMode> meshMode(List<MeshConfig> configs) {
    return configs.stream()
        .filter(c -> c.metadata().name().equals(MeshConfig.CONFIG_MAP_NAME))
        .filter(c -> c.metadata().namespace().equals(DestinationRuleIndex.ROOT_NAMESPACE))
        .map(MeshConfig::outboundTrafficMode)
        .findFirst();
  }

  private static Optional<Sidecar> choose(
      ImmutableList<Sidecar> sidecars, ProxyIdentity proxy, DiagnosticSink diagnostics) {
    List<Sidecar> own =
        sidecars.stream()
            .filter(s -> s.metadata().namespace().equals(proxy.namespace()))
            .sorted(Comparator.comparing(s -> s.metadata(), Subjects.KEY_ORDER))
            .toList();
    List<Sidecar> selecting =
        own.stream()
            .filter(s -> s.workloadSelector().isPresent())
            .filter(s -> Labels.selects(s.workloadSelector().get().matchLabels(), proxy.labels()))
            .toList();
    if (!selecting.isEmpty()) {
      return Optional.of(first(selecting, "select this workload", diagnostics));
    }
    List<Sidecar> namespaceWide =
        own.stream().filter(s -> s.workloadSelector().isEmpty()).toList();
    if (!namespaceWide.isEmpty()) {
      return Optional.of(first(namespaceWide, "have no workloadSelector", diagnostics));
    }
    List<Sidecar> meshWide =
        sidecars.stream()
            .filter(s -> s.metadata().namespace().equals(DestinationRuleIndex.ROOT_NAMESPACE))
            .filter(s -> s.workloadSelector().isEmpty())
            .sorted(Comparator.comparing(s -> s.metadata(), Subjects.KEY_ORDER))
            .toList();
    if (!meshWide.isEmpty()) {
      return Optional.of(first(meshWide, "have no workloadSelector", diagnostics));
    }
    return Optional.empty();
  }

  private static Sidecar first(List<Sidecar> candidates, String why, DiagnosticSink diagnostics) {
    Sidecar chosen = candidates.get(0);
    for (Sidecar other : candidates.subList(1, candidates.size())) {
      diagnostics.warning(
          Subjects.of(other),
          "metadata.name",
          "both this Sidecar and "
              + Subjects.of(chosen)
              + " "
              + why
              + " in namespace "
              + other.metadata().namespace()
              + "; only one applies to a workload, so "
              + Subjects.of(chosen)
              + " (first by name) is used and this one is ignored. Merge them, or give them"
              + " workloadSelectors that pick different workloads.");
    }
    return chosen;
  }

}
