package dev.outpost.translator.patch;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.api.ProxyIdentity;
import dev.outpost.translator.api.ProxyRole;
import dev.outpost.translator.diag.Diagnostic;
import dev.outpost.translator.model.EnvoyFilter;
import dev.outpost.translator.model.MeshConfig;
import dev.outpost.translator.model.WorkloadSelector;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Which EnvoyFilters apply to a proxy, in the order they are applied, as Istio's reference
 * documents it: the root namespace's ({@code istio-system}) first, then those of the proxy's own
 * namespace; a filter is selected when its {@code workloadSelector} labels are all among the
 * proxy's labels, or when it has no selector (then it applies to every proxy of its namespace, and
 * of the mesh for the root namespace).
 *
 * <p>Within each namespace: {@code priority} ascending, then name. Istio orders equal priorities by
 * creation time, which files do not carry; name order keeps the result the same on every run.
 */
public final class EnvoyFilterSelection {

  /** The filters that apply, in order, and warnings about patches that never can. */
  public record Selected(ImmutableList<EnvoyFilter> filters, ImmutableList<Diagnostic> diagnostics) {}

  private static final Comparator<EnvoyFilter> ORDER =
      Comparator.comparingInt(EnvoyFilter::priority)
          .thenComparing(filter -> filter.metadata().name());

  public Selected select(List<EnvoyFilter> filters, ProxyIdentity proxy) {
    if (filters.isEmpty()) {
      return new Selected(ImmutableList.of(), ImmutableList.of());
    }
    ImmutableList.Builder<EnvoyFilter> selected = ImmutableList.builder();
    selected.addAll(inNamespace(filters, MeshConfig.ROOT_NAMESPACE, proxy));
    if (!proxy.namespace().equals(MeshConfig.ROOT_NAMESPACE)) {
      selected.addAll(inNamespace(filters, proxy.namespace(), proxy));
    }
    ImmutableList<EnvoyFilter> ordered = selected.build();
    ImmutableList.Builder<Diagnostic> diagnostics = ImmutableList.builder();
    for (EnvoyFilter filter : ordered) {
      for (EnvoyFilter.Patch patch : filter.configPatches()) {
        if (!contextApplies(patch.context(), proxy.role())) {
          diagnostics.add(
              Diagnostic.warning(
                  PatchDiagnostics.subject(filter),
                  PatchDiagnostics.field(patch) + ".match.context",
                  whyNot(patch.context(), proxy)));
        }
      }
    }
    return new Selected(ordered, diagnostics.build());
  }

  /**
   * Istio's patch contexts mapped onto Outpost's proxies: a gateway is GATEWAY, a client proxy is
   * a sidecar's outbound side (it only sends); no Outpost proxy has an inbound side.
   */
  static boolean contextApplies(EnvoyFilter.Context context, ProxyRole role) {
    return switch (context) {
      case ANY -> true;
      case GATEWAY -> role == ProxyRole.GATEWAY;
      case SIDECAR_OUTBOUND -> role == ProxyRole.CLIENT;
      case SIDECAR_INBOUND -> false;
    };
  }

  private static String whyNot(EnvoyFilter.Context context, ProxyIdentity proxy) {
    // Not the node id: the same message for every proxy group, so a resource's status is stable.
    String proxyName = proxy.role().wireName() + " proxies of namespace " + proxy.namespace();
    return switch (context) {
      case SIDECAR_INBOUND ->
          "context SIDECAR_INBOUND never applies: Outpost proxies have no inbound side (gateways are"
              + " GATEWAY, client proxies SIDECAR_OUTBOUND); the patch is not applied to "
              + proxyName;
      case GATEWAY ->
          "context GATEWAY applies to gateway proxies only; the patch is not applied to "
              + proxyName;
      case SIDECAR_OUTBOUND ->
          "context SIDECAR_OUTBOUND applies to client proxies only; the patch is not applied to "
              + proxyName;
      case ANY -> throw new IllegalArgumentException("ANY applies to every proxy");
    };
  }

  private static List<EnvoyFilter> inNamespace(
      List<EnvoyFilter> filters, String namespace, ProxyIdentity proxy) {
    return filters.stream()
        .filter(filter -> filter.metadata().namespace().equals(namespace))
        .filter(filter -> selects(filter, proxy.labels()))
        .sorted(ORDER)
        .toList();
  }

  private static boolean selects(EnvoyFilter filter, Map<String, String> proxyLabels) {
    Map<String, String> selector =
        filter.workloadSelector().map(WorkloadSelector::matchLabels).orElse(null);
    if (selector == null) {
      return true;
    }
    for (Map.Entry<String, String> label : selector.entrySet()) {
      if (!label.getValue().equals(proxyLabels.get(label.getKey()))) {
        return false;
      }
    }
    return true;
  }
}
