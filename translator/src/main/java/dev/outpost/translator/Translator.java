package dev.outpost.translator;

import dev.outpost.translator.api.ProxyIdentity;
import dev.outpost.translator.api.ProxyRole;
import dev.outpost.translator.api.Translation;
import dev.outpost.translator.api.TranslationContext;
import dev.outpost.translator.build.ClientBuilder;
import dev.outpost.translator.build.EgressBuilder;
import dev.outpost.translator.emit.ResourceEmitter;
import dev.outpost.translator.model.ConfigSnapshot;

/**
 * The translator's entry point: a pure function from a config snapshot and a proxy identity to the
 * Envoy resources that proxy receives. Same input, byte-identical output.
 *
 * <p>The returned diagnostics are the translation's own (bindings, references, unsupported
 * settings); the snapshot's parse diagnostics stay with the snapshot for the caller to report.
 */
public final class Translator {
  private final EgressBuilder gatewayBuilder = new EgressBuilder();
  private final ClientBuilder clientBuilder = new ClientBuilder();
  private final ResourceEmitter emitter = new ResourceEmitter();

  public Translation translate(
      ConfigSnapshot snapshot, ProxyIdentity proxy, TranslationContext context) {
    EgressBuilder.Result built =
        proxy.role() == ProxyRole.CLIENT
            ? clientBuilder.build(snapshot, proxy, context)
            : gatewayBuilder.build(snapshot, proxy, context);
    return new Translation(emitter.emit(built.config()), built.diagnostics());
  }
}
