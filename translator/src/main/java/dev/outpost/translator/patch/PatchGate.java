package dev.outpost.translator.patch;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import com.google.common.collect.Sets;
import dev.outpost.translator.api.EnvoyResources;
import dev.outpost.translator.api.MeshSecrets;
import dev.outpost.translator.api.ProxyIdentity;
import dev.outpost.translator.check.SnapshotChecker;
import dev.outpost.translator.diag.Diagnostic;
import dev.outpost.translator.model.EnvoyFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Applies the selected EnvoyFilters so that the result is never worse than the input (DESIGN.md
 * section 5, rule 1): a patch that would make Envoy reject the config is rejected here instead,
 * with a diagnostic, and the config stays valid.
 *
 * <p>All filters are applied and the result checked with the {@link SnapshotChecker}. Only when it
 * finds problems that the unpatched input did not have are the filters applied again one at a
 * time, in order, checking after each: a filter whose application adds problems is dropped (an
 * error quoting the checker), the others still apply. The common case, every filter fine, costs
 * a check of the resources the filters changed ({@link SnapshotChecker#addsNoProblems}); the full
 * checks run only when that finds something.
 */
final class PatchGate {
  private static final int QUOTED_PROBLEMS = 5;

  private final EnvoyFilterApplier applier = new EnvoyFilterApplier();
  private final SnapshotChecker checker = new SnapshotChecker();

  record Gated(EnvoyResources resources, ImmutableList<Diagnostic> diagnostics) {}

  Gated apply(EnvoyResources input, List<EnvoyFilter> filters, ProxyIdentity proxy) {
    EnvoyResources all = input;
    ImmutableList.Builder<Diagnostic> diagnostics = ImmutableList.builder();
    for (EnvoyFilter filter : filters) {
      EnvoyFilterApplier.Outcome outcome = applier.apply(all, filter, proxy);
      all = outcome.resources();
      diagnostics.addAll(outcome.diagnostics());
    }
    if (addsNoProblems(input, all)) {
      return new Gated(all, diagnostics.build());
    }
    Set<String> problems = problems(all);
    if (problems.isEmpty()) {
      return new Gated(all, diagnostics.build());
    }
    Set<String> inputProblems = problems(input);
    if (inputProblems.containsAll(problems)) {
      return new Gated(all, diagnostics.build());
    }
    return oneAtATime(input, inputProblems, filters, proxy);
  }

  private Gated oneAtATime(
      EnvoyResources input,
      Set<String> inputProblems,
      List<EnvoyFilter> filters,
      ProxyIdentity proxy) {
    EnvoyResources current = input;
    Set<String> currentProblems = inputProblems; // null: not known yet
    ImmutableList.Builder<Diagnostic> diagnostics = ImmutableList.builder();
    for (EnvoyFilter filter : filters) {
      EnvoyFilterApplier.Outcome outcome = applier.apply(current, filter, proxy);
      diagnostics.addAll(outcome.diagnostics());
      if (!outcome.applied()) {
        continue;
      }
      if (addsNoProblems(current, outcome.resources())) {
        current = outcome.resources();
        currentProblems = null;
        continue;
      }
      if (currentProblems == null) {
        currentProblems = problems(current);
      }
      Set<String> problems = problems(outcome.resources());
      Set<String> added = Sets.difference(problems, currentProblems).immutableCopy();
      if (added.isEmpty()) {
        current = outcome.resources();
        currentProblems = problems;
      } else {
        diagnostics.add(rejected(filter, culprit(current, currentProblems, filter, added, proxy), added));
      }
    }
    return new Gated(current, diagnostics.build());
  }

  /**
   * The field of the first patch after which one of the filter's problems appears, when the
   * patches are applied one by one; {@code spec.configPatches} when none alone shows one.
   */
  private String culprit(
      EnvoyResources before,
      Set<String> problemsBefore,
      EnvoyFilter filter,
      Set<String> added,
      ProxyIdentity proxy) {
    List<EnvoyFilter.Patch> patches = filter.configPatches();
    if (patches.size() > 1) {
      for (int i = 0; i < patches.size(); i++) {
        EnvoyFilter prefix =
            new EnvoyFilter(
                filter.metadata(),
                filter.workloadSelector(),
                filter.priority(),
                ImmutableList.copyOf(patches.subList(0, i + 1)));
        EnvoyFilterApplier.Outcome outcome = applier.apply(before, prefix, proxy);
        Set<String> now = Sets.difference(problems(outcome.resources()), problemsBefore);
        if (!Sets.intersection(now, added).isEmpty()) {
          return PatchDiagnostics.field(patches.get(i));
        }
      }
    } else if (patches.size() == 1) {
      return PatchDiagnostics.field(patches.get(0));
    }
    return "spec.configPatches";
  }

  private static Diagnostic rejected(EnvoyFilter filter, String field, Set<String> added) {
    List<String> quoted = new ArrayList<>(added);
    String shown = String.join("; ", quoted.subList(0, Math.min(QUOTED_PROBLEMS, quoted.size())));
    if (quoted.size() > QUOTED_PROBLEMS) {
      shown += "; and " + (quoted.size() - QUOTED_PROBLEMS) + " more";
    }
    return Diagnostic.error(
        PatchDiagnostics.subject(filter),
        field,
        "the patched config would be rejected by Envoy (" + shown + "), so the EnvoyFilter was"
            + " not applied; the rest of the config and the other EnvoyFilters are. Fix the patch"
            + " so that the result is valid Envoy config");
  }

  /**
   * The cheap check first: only the resources a patch changed (see {@link
   * SnapshotChecker#addsNoProblems}). When it cannot show that nothing was added, the full checks
   * above decide, and quote the problems.
   */
  private boolean addsNoProblems(EnvoyResources before, EnvoyResources after) {
    return checker.addsNoProblems(before, after, MeshSecrets.NAMES);
  }

  private Set<String> problems(EnvoyResources resources) {
    return ImmutableSet.copyOf(checker.check(resources, MeshSecrets.NAMES).problems());
  }
}
