package dev.outpost.translator;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.api.EnvoyResources;
import dev.outpost.translator.api.ProxyIdentity;
import dev.outpost.translator.api.Translation;
import dev.outpost.translator.model.ConfigSnapshot;

/**
 * The translator's entry point: a pure function from a config snapshot and a proxy identity to
 * the Envoy resources that proxy receives. Same input, byte-identical output.
 */
public final class Translator {

  public Translation translate(ConfigSnapshot snapshot, ProxyIdentity proxy) {
    // Scaffold: replaced by the IR builder and emitters.
    return new Translation(EnvoyResources.EMPTY, ImmutableList.of());
  }
}
