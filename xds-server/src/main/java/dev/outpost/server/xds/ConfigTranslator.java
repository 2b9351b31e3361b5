package dev.outpost.server.xds;

import dev.outpost.translator.Translator;
import dev.outpost.translator.api.ProxyIdentity;
import dev.outpost.translator.api.Translation;
import dev.outpost.translator.model.ConfigSnapshot;

/**
 * How the publisher gets a proxy group's resources. Production uses the translator; tests hand in
 * fixed resources so that the ADS protocol can be tested independently of translation.
 */
@FunctionalInterface
public interface ConfigTranslator {
  Translation translate(ConfigSnapshot config, ProxyIdentity proxy);

  static ConfigTranslator standard() {
    Translator translator = new Translator();
    return translator::translate;
  }
}
