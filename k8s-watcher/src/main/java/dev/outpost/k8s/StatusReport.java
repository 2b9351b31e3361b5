package dev.outpost.k8s;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import dev.outpost.translator.diag.Diagnostic;
import dev.outpost.translator.model.ConfigSnapshot;
import dev.outpost.translator.model.ObjectMeta;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The outcome of one translation round for every Istio object that was read: the input of status
 * reporting. The server builds it after translating a snapshot for its proxy groups.
 *
 * <p>Diagnostics are matched to objects by their subject ({@code VirtualService default/x});
 * findings about other subjects (Secrets, files) and about objects that were not read (e.g. a
 * Gateway left to istiod) are not reported on any object. A finding reported by several proxy
 * groups counts once.
 */
public final class StatusReport {
  private final ImmutableMap<ResourceRef, ResourceOutcome> outcomes;

  private StatusReport(ImmutableMap<ResourceRef, ResourceOutcome> outcomes) {
    this.outcomes = outcomes;
  }

  /**
   * @param snapshot the snapshot that was translated (its diagnostics are the validation findings)
   * @param translationDiagnostics the diagnostics of each proxy group's translation of it
   * @param read the objects the snapshot was assembled from ({@link KubernetesWatcher#lastRead()})
   */
  public static StatusReport of(
      ConfigSnapshot snapshot,
      Collection<? extends Collection<Diagnostic>> translationDiagnostics,
      Set<ResourceRef> read) {
    Set<String> inEffect = new HashSet<>();
    Stream.of(
            snapshot.serviceEntries().stream().map(r -> subject("ServiceEntry", r.metadata())),
            snapshot.gateways().stream().map(r -> subject("Gateway", r.metadata())),
            snapshot.virtualServices().stream().map(r -> subject("VirtualService", r.metadata())),
            snapshot.destinationRules().stream().map(r -> subject("DestinationRule", r.metadata())),
            snapshot.sidecars().stream().map(r -> subject("Sidecar", r.metadata())),
            snapshot.authorizationPolicies().stream()
                .map(r -> subject("AuthorizationPolicy", r.metadata())),
            snapshot.envoyFilters().stream().map(r -> subject("EnvoyFilter", r.metadata())))
        .flatMap(s -> s)
        .forEach(inEffect::add);
    Map<String, List<Diagnostic>> validation = bySubject(List.of(snapshot.diagnostics()));
    Map<String, List<Diagnostic>> translation = bySubject(translationDiagnostics);
    ImmutableMap.Builder<ResourceRef, ResourceOutcome> out = ImmutableMap.builder();
    for (ResourceRef ref : ImmutableSet.copyOf(read)) {
      String subject = ref.subject();
      out.put(
          ref,
          new ResourceOutcome(
              ref,
              ImmutableList.copyOf(validation.getOrDefault(subject, List.of())),
              ImmutableList.copyOf(translation.getOrDefault(subject, List.of())),
              inEffect.contains(subject)));
    }
    return new StatusReport(out.buildKeepingLast());
  }

  public ImmutableMap<ResourceRef, ResourceOutcome> outcomes() {
    return outcomes;
  }

  private static String subject(String kind, ObjectMeta meta) {
    return kind + " " + meta.namespace() + "/" + meta.name();
  }

  private static Map<String, List<Diagnostic>> bySubject(
      Collection<? extends Collection<Diagnostic>> lists) {
    Map<String, TreeSet<Diagnostic>> sets = new java.util.HashMap<>();
    for (Collection<Diagnostic> list : lists) {
      for (Diagnostic d : list) {
        sets.computeIfAbsent(d.subject(), k -> new TreeSet<>(Diagnostic.ORDER)).add(d);
      }
    }
    Map<String, List<Diagnostic>> out = new java.util.HashMap<>();
    sets.forEach((k, v) -> out.put(k, new ArrayList<>(v)));
    return out;
  }
}
