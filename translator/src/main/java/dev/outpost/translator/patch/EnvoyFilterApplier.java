package dev.outpost.translator.patch;

import com.google.common.collect.ImmutableList;
import com.google.protobuf.Message;
import dev.outpost.translator.api.EnvoyResources;
import dev.outpost.translator.api.ProxyIdentity;
import dev.outpost.translator.diag.Diagnostic;
import dev.outpost.translator.model.EnvoyFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One EnvoyFilter applied to a proxy's resources: every patch whose context fits the proxy, in
 * {@code configPatches} order, each seeing the result of the ones before it.
 *
 * <p>All or nothing: when any patch's value does not parse into the type it patches, or a patch
 * cannot be applied (a MERGE of a config of another type), the filter is not applied at all and
 * the resources come back unchanged, with an error naming the patch. Patches that do nothing (an
 * operation the {@code applyTo} does not have, nothing matched) are warnings.
 */
final class EnvoyFilterApplier {
  private final ListenerPatcher listeners = new ListenerPatcher();
  private final RouteConfigPatcher routes = new RouteConfigPatcher();
  private final ClusterPatcher clusters = new ClusterPatcher();

  /** The resources after the filter, or the input when it was not applied. */
  record Outcome(EnvoyResources resources, ImmutableList<Diagnostic> diagnostics, boolean applied) {}

  Outcome apply(EnvoyResources resources, EnvoyFilter filter, ProxyIdentity proxy) {
    String subject = PatchDiagnostics.subject(filter);
    List<Diagnostic> errors = new ArrayList<>();
    List<ParsedPatch> parsed = new ArrayList<>();
    // Every value is parsed, whichever proxy the patch is for, so that a broken value is the same
    // error on every proxy, and is found before anything is changed.
    for (EnvoyFilter.Patch patch : filter.configPatches()) {
      try {
        parsed.add(new ParsedPatch(patch, value(patch)));
      } catch (PatchException e) {
        errors.add(error(subject, patch, e));
      }
    }
    if (!errors.isEmpty()) {
      return notApplied(resources, errors);
    }
    List<Diagnostic> warnings = new ArrayList<>();
    EnvoyResources current = resources;
    for (ParsedPatch patch : parsed) {
      EnvoyFilter.Patch spec = patch.patch();
      if (!EnvoyFilterSelection.contextApplies(spec.context(), proxy.role())) {
        continue; // EnvoyFilterSelection already said why
      }
      Optional<String> noEffect = SupportedOperations.whyNoEffect(spec);
      if (noEffect.isPresent()) {
        warnings.add(Diagnostic.warning(subject, PatchDiagnostics.field(spec), noEffect.get()));
        continue;
      }
      Hits hits = new Hits();
      try {
        current = apply(current, patch, proxy, hits);
      } catch (PatchException e) {
        return notApplied(resources, List.of(error(subject, spec, e)));
      } catch (RuntimeException e) {
        // A bug here must not take the proxy's whole translation down: the filter is left out.
        return notApplied(
            resources,
            List.of(
                Diagnostic.error(
                    subject,
                    PatchDiagnostics.field(spec),
                    "could not be applied (" + e + "); the EnvoyFilter was not applied. This is"
                        + " an Outpost bug: please report it with the EnvoyFilter")));
      }
      if (!hits.any()) {
        warnings.add(
            Diagnostic.warning(
                subject,
                PatchDiagnostics.field(spec),
                spec.applyTo() + " " + spec.operation() + " matched nothing in the config of "
                    + "a " + proxy.role().wireName() + " proxy of namespace " + proxy.namespace()
                    + " ("
                    + MatchText.describe(spec) + "), so it changed nothing; check the names and"
                    + " ports against the proxy's config (" + MatchText.hint(spec.applyTo())
                    + ")"));
      }
    }
    return new Outcome(current, ImmutableList.copyOf(warnings), true);
  }

  private EnvoyResources apply(
      EnvoyResources in, ParsedPatch patch, ProxyIdentity proxy, Hits hits)
      throws PatchException {
    return switch (patch.patch().applyTo()) {
      case LISTENER, FILTER_CHAIN, NETWORK_FILTER, HTTP_FILTER ->
          new EnvoyResources(
              listeners.apply(in.listeners(), patch, hits),
              in.routes(),
              in.clusters(),
              in.endpoints(),
              in.secrets());
      case ROUTE_CONFIGURATION, VIRTUAL_HOST, HTTP_ROUTE ->
          new EnvoyResources(
              in.listeners(),
              routes.apply(in.routes(), patch, proxy.role(), hits),
              in.clusters(),
              in.endpoints(),
              in.secrets());
      case CLUSTER ->
          new EnvoyResources(
              in.listeners(),
              in.routes(),
              clusters.apply(in.clusters(), patch, hits),
              in.endpoints(),
              in.secrets());
    };
  }

  private static Optional<Message> value(EnvoyFilter.Patch patch) throws PatchException {
    if (patch.operation() == EnvoyFilter.Operation.REMOVE) {
      return Optional.empty(); // a value given with REMOVE means nothing, as in Istio
    }
    if (patch.valueJson().isEmpty()) {
      throw new PatchException(
          "patch.value", patch.operation() + " needs a value: the " + patch.applyTo()
              + " to " + (patch.operation() == EnvoyFilter.Operation.MERGE ? "merge" : "insert"));
    }
    return Optional.of(PatchValues.parse(patch.valueJson().get(), patch.applyTo()));
  }

  private static Diagnostic error(String subject, EnvoyFilter.Patch patch, PatchException e) {
    return Diagnostic.error(
        subject,
        PatchDiagnostics.field(patch) + "." + e.field(),
        e.getMessage() + "; the EnvoyFilter was not applied");
  }

  private static Outcome notApplied(EnvoyResources resources, List<Diagnostic> errors) {
    return new Outcome(resources, ImmutableList.copyOf(errors), false);
  }
}
