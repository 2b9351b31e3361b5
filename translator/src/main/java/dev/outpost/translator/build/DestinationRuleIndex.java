package dev.outpost.translator.build;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.model.DestinationRule;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the DestinationRule that applies to a host for a proxy, with Istio's precedence: a rule in
 * the proxy's namespace, then one in the host's own namespace (the ServiceEntry's), then one in the
 * root namespace {@code istio-system}; a rule in any other namespace never applies, even when
 * exported (Istio's PushContext stops at the root namespace too). Only rules exported to the
 * proxy's namespace count. Inside each namespace an exact host beats a wildcard, and a longer
 * wildcard beats a shorter one; ties go to the first by name. Rules with a {@code workloadSelector}
 * are left out (the parser reports them as not supported yet).
 */
final class DestinationRuleIndex {
  static final String ROOT_NAMESPACE = "istio-system";

  private final ImmutableList<DestinationRule> visible;
  private final String proxyNamespace;

  DestinationRuleIndex(ImmutableList<DestinationRule> rules, String proxyNamespace) {
    this.proxyNamespace = proxyNamespace;
    this.visible =
        rules.stream()
            .filter(dr -> dr.workloadSelector().isEmpty())
            .filter(
                dr -> ExportTo.visible(dr.exportTo(), dr.metadata().namespace(), proxyNamespace))
            .sorted(Comparator.comparing(dr -> Subjects.key(dr.metadata())))
            .collect(ImmutableList.toImmutableList());
  }

  Optional<DestinationRule> find(String host, String hostNamespace) {
    for (String namespace : List.of(proxyNamespace, hostNamespace, ROOT_NAMESPACE)) {
      Optional<DestinationRule> found =
          best(host, visible.stream().filter(dr -> dr.metadata().namespace().equals(namespace)));
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  private static Optional<DestinationRule> best(String host, Stream<DestinationRule> rules) {
    return rules
        .filter(dr -> Hosts.covers(qualifiedHost(dr), host))
        // exact first, then the most specific (longest) wildcard; the stream is already by name
        .min(
            Comparator.comparing((DestinationRule dr) -> Hosts.isWildcard(qualifiedHost(dr)))
                .thenComparing(dr -> -qualifiedHost(dr).length()));
  }

  static String qualifiedHost(DestinationRule dr) {
    return Hosts.qualify(dr.host(), dr.metadata().namespace());
  }
}
