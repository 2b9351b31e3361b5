package dev.outpost.translator.build;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.outpost.translator.model.ServiceEntry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The hosts a proxy can see ({@code exportTo} against the proxy's namespace), by exact host: from
 * ServiceEntries and Kubernetes Services. When two visible entries declare the same host, a
 * Kubernetes Service wins (as in Istio, whose Kubernetes registry comes first), then the one in the
 * proxy's namespace, then the first by namespace/name; the other is reported.
 */
final class ServiceRegistry {
  private final ImmutableMap<String, ServiceEntry> byHost;

  /** The snapshot's Kubernetes Services and ServiceEntries, as {@code proxyNamespace} sees them. */
  static ServiceRegistry of(
      dev.outpost.translator.model.ConfigSnapshot snapshot,
      String proxyNamespace,
      DiagnosticSink diagnostics) {
    return new ServiceRegistry(
        ImmutableList.<ServiceEntry>builder()
            .addAll(KubernetesServiceEntries.of(snapshot))
            .addAll(snapshot.serviceEntries())
            .build(),
        proxyNamespace,
        diagnostics);
  }

  ServiceRegistry(
      ImmutableList<ServiceEntry> entries, String proxyNamespace, DiagnosticSink diagnostics) {
    Map<String, List<ServiceEntry>> candidates = new TreeMap<>();
    entries.stream()
        .filter(se -> ExportTo.visible(se.exportTo(), se.metadata().namespace(), proxyNamespace))
        .sorted(
            Comparator.comparing(
                    (ServiceEntry se) -> se.source() != ServiceEntry.Source.KUBERNETES_SERVICE)
                .thenComparing(se -> !se.metadata().namespace().equals(proxyNamespace))
                .thenComparing(se -> se.metadata(), Subjects.KEY_ORDER))
        .forEach(
            se -> {
              for (String host : se.hosts()) {
                candidates
                    .computeIfAbsent(
                        Hosts.qualify(host, se.metadata().namespace()), h -> new ArrayList<>())
                    .add(se);
              }
            });
    ImmutableMap.Builder<String, ServiceEntry> chosen = ImmutableMap.builder();
    candidates.forEach(
        (host, list) -> {
          ServiceEntry winner = list.get(0);
          chosen.put(host, winner);
          for (ServiceEntry loser : list.subList(1, list.size())) {
            if (loser != winner) {
              diagnostics.warning(
                  Subjects.of(loser),
                  "spec.hosts",
                  "host \""
                      + host
                      + "\" is also declared by "
                      + Subjects.of(winner)
                      + ", which the gateway uses for it; this entry is ignored for that host."
                      + " Declare each host in one ServiceEntry.");
            }
          }
        });
    this.byHost = chosen.buildKeepingLast();
  }

  /** Every visible host with the entry that declares it, in host order. */
  ImmutableMap<String, ServiceEntry> hosts() {
    return byHost;
  }

  Optional<ServiceEntry> find(String host) {
    return Optional.ofNullable(byHost.get(host));
  }
}
