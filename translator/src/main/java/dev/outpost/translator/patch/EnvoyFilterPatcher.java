package dev.outpost.translator.patch;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.api.EnvoyResources;
import dev.outpost.translator.api.ProxyIdentity;
import dev.outpost.translator.diag.Diagnostic;
import dev.outpost.translator.model.EnvoyFilter;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.Comparator;
import java.util.Objects;

/**
 * Applies the EnvoyFilters that select a proxy to the resources translated for it: which ones and
 * in what order ({@link EnvoyFilterSelection}), each patch as Istio applies it ({@link
 * EnvoyFilterApplier}), and never into a config Envoy would reject ({@link PatchGate}). Resource
 * lists come back sorted by name, as {@code ResourceEmitter} emits them.
 *
 * <p>Pure, and never throws for bad input: what cannot be applied is a diagnostic.
 */
public final class EnvoyFilterPatcher {
  private final EnvoyFilterSelection selection = new EnvoyFilterSelection();
  private final PatchGate gate = new PatchGate();

  /** The patched resources, and what was wrong with the EnvoyFilters. */
  public record Result(EnvoyResources resources, ImmutableList<Diagnostic> diagnostics) {
    public Result {
      Objects.requireNonNull(resources, "resources");
      Objects.requireNonNull(diagnostics, "diagnostics");
    }
  }

  /**
   * @return {@code resources} itself when no EnvoyFilter selects the proxy (the common case, on
   *     the translation's hot path)
   */
  public Result apply(
      EnvoyResources resources, ImmutableList<EnvoyFilter> filters, ProxyIdentity proxy) {
    EnvoyFilterSelection.Selected selected;
    try {
      selected = selection.select(filters, proxy);
    } catch (RuntimeException e) {
      return failed(resources, filters, e);
    }
    if (selected.filters().isEmpty()) {
      return new Result(resources, selected.diagnostics());
    }
    try {
      PatchGate.Gated gated = gate.apply(resources, selected.filters(), proxy);
      return new Result(
          sortedByName(gated.resources()),
          ImmutableList.<Diagnostic>builder()
              .addAll(selected.diagnostics())
              .addAll(gated.diagnostics())
              .build());
    } catch (RuntimeException e) {
      return failed(resources, selected.filters(), e);
    }
  }

  /** An Outpost bug must not cost the proxy its config: nothing is patched, and it is reported. */
  private static Result failed(
      EnvoyResources resources, ImmutableList<EnvoyFilter> filters, RuntimeException e) {
    ImmutableList.Builder<Diagnostic> diagnostics = ImmutableList.builder();
    for (EnvoyFilter filter : filters) {
      diagnostics.add(
          Diagnostic.error(
              PatchDiagnostics.subject(filter),
              "spec.configPatches",
              "was not applied: Outpost failed while applying EnvoyFilters (" + e + "). This is"
                  + " an Outpost bug: please report it with the EnvoyFilters"));
    }
    return new Result(resources, diagnostics.build());
  }

  private static EnvoyResources sortedByName(EnvoyResources resources) {
    return new EnvoyResources(
        ImmutableList.sortedCopyOf(Comparator.comparing(Listener::getName), resources.listeners()),
        ImmutableList.sortedCopyOf(
            Comparator.comparing(RouteConfiguration::getName), resources.routes()),
        ImmutableList.sortedCopyOf(Comparator.comparing(Cluster::getName), resources.clusters()),
        resources.endpoints(),
        resources.secrets());
  }
}
