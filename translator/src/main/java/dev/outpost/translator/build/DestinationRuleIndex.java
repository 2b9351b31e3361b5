package dev.outpost.translator.build;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.model.DestinationRule;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the DestinationRule that applies to a host for a proxy, with Istio's precedence: a rule in
 * the proxy's namespace, then one in the host's own namespace (the ServiceEntry's), then one in the
 * root namespace {@code istio-system}; a rule in any other namespace never applies, even when
 * exported (Istio's PushContext stops at the root namespace too). Only rules exported to the
 * proxy's namespace count. Inside each namespace an exact host beats a wildcard, and a longer
 * wildcard beats a shorter one; ties go to the first by name. Rules with a {@code workloadSelector}
 * are left out (the parser reports them as not supported yet).
 *
 * <p>Indexed by namespace and exact host, because a gateway with thousands of routes looks up
 * thousands of hosts.
 */
final class DestinationRuleIndex {
  static final String ROOT_NAMESPACE = "istio-system";

  /** The rules of one namespace: exact hosts by name, wildcards most specific first. */
  private record NamespaceRules(
      Map<String, DestinationRule> exact, List<DestinationRule> wildcards) {}

  private final Map<String, NamespaceRules> byNamespace = new HashMap<>();
  private final String proxyNamespace;

  DestinationRuleIndex(ImmutableList<DestinationRule> rules, String proxyNamespace) {
    this.proxyNamespace = proxyNamespace;
    ImmutableList<DestinationRule> visible =
        rules.stream()
            .filter(dr -> dr.workloadSelector().isEmpty())
            .filter(
                dr -> ExportTo.visible(dr.exportTo(), dr.metadata().namespace(), proxyNamespace))
            .sorted(Comparator.comparing(dr -> dr.metadata(), Subjects.KEY_ORDER))
            .collect(ImmutableList.toImmutableList());
    for (DestinationRule dr : visible) {
      NamespaceRules ns =
          byNamespace.computeIfAbsent(
              dr.metadata().namespace(),
              k -> new NamespaceRules(new HashMap<>(), new ArrayList<>()));
      String host = qualifiedHost(dr);
      if (Hosts.isWildcard(host)) {
        ns.wildcards().add(dr);
      } else {
        ns.exact().putIfAbsent(host, dr); // first by name wins
      }
    }
    // Stable sort: equal lengths keep name order.
    byNamespace
        .values()
        .forEach(
            ns -> ns.wildcards().sort(Comparator.comparing(dr -> -qualifiedHost(dr).length())));
  }

  Optional<DestinationRule> find(String host, String hostNamespace) {
    for (String namespace : List.of(proxyNamespace, hostNamespace, ROOT_NAMESPACE)) {
      NamespaceRules ns = byNamespace.get(namespace);
      if (ns == null) {
        continue;
      }
      DestinationRule exact = ns.exact().get(host);
      if (exact != null) {
        return Optional.of(exact);
      }
      for (DestinationRule wildcard : ns.wildcards()) {
        if (Hosts.covers(qualifiedHost(wildcard), host)) {
          return Optional.of(wildcard);
        }
      }
    }
    return Optional.empty();
  }

  static String qualifiedHost(DestinationRule dr) {
    return Hosts.qualify(dr.host(), dr.metadata().namespace());
  }
}
