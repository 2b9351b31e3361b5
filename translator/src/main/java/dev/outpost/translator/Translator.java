package dev.outpost.translator;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.api.EnvoyResources;
import dev.outpost.translator.api.ProxyIdentity;
import dev.outpost.translator.api.ProxyRole;
import dev.outpost.translator.api.Translation;
import dev.outpost.translator.api.TranslationContext;
import dev.outpost.translator.build.ClientBuilder;
import dev.outpost.translator.build.EgressBuilder;
import dev.outpost.translator.diag.Diagnostic;
import dev.outpost.translator.emit.ResourceEmitter;
import dev.outpost.translator.model.ConfigSnapshot;
import dev.outpost.translator.patch.EnvoyFilterPatcher;
import java.util.stream.Stream;

/**
 * The translator's entry point: a pure function from a config snapshot and a proxy identity to the
 * Envoy resources that proxy receives. Same input, byte-identical output.
 *
 * <p>The returned diagnostics are the translation's own (bindings, references, unsupported
 * settings, EnvoyFilter patches); the snapshot's parse diagnostics stay with the snapshot for the
 * caller to report.
 *
 * <p>EnvoyFilters patch the emitted resources last, as in Istio: they see (and can break) exactly
 * what the proxy would otherwise receive, so {@link EnvoyFilterPatcher} checks the result.
 */
public final class Translator {
  private final EgressBuilder gatewayBuilder = new EgressBuilder();
  private final ClientBuilder clientBuilder = new ClientBuilder();
  private final ResourceEmitter emitter = new ResourceEmitter();
  private final EnvoyFilterPatcher patcher = new EnvoyFilterPatcher();

  public Translation translate(
      ConfigSnapshot snapshot, ProxyIdentity proxy, TranslationContext context) {
    EgressBuilder.Result built =
        proxy.role() == ProxyRole.CLIENT
            ? clientBuilder.build(snapshot, proxy, context)
            : gatewayBuilder.build(snapshot, proxy, context);
    EnvoyResources emitted = emitter.emit(built.config());
    EnvoyFilterPatcher.Result patched = patcher.apply(emitted, snapshot.envoyFilters(), proxy);
    return new Translation(
        patched.resources(), withPatchDiagnostics(built.diagnostics(), patched.diagnostics()));
  }

  private static ImmutableList<Diagnostic> withPatchDiagnostics(
      ImmutableList<Diagnostic> built, ImmutableList<Diagnostic> patches) {
    if (patches.isEmpty()) {
      return built;
    }
    return Stream.concat(built.stream(), patches.stream())
        .distinct()
        .sorted(Diagnostic.ORDER)
        .collect(ImmutableList.toImmutableList());
  }
}
