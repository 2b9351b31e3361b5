package dev.outpost.server.xds;

import dev.outpost.translator.Translator;
import dev.outpost.translator.api.ProxyIdentity;
import dev.outpost.translator.api.Translation;
import dev.outpost.translator.api.TranslationContext;
import dev.outpost.translator.model.ConfigSnapshot;
import java.time.Clock;

/**
 * How the publisher gets a proxy group's resources. Production uses the translator; tests hand in
 * fixed resources so that the ADS protocol can be tested independently of translation.
 */
@FunctionalInterface
public interface ConfigTranslator {
  Translation translate(ConfigSnapshot config, ProxyIdentity proxy);

  /**
   * The translator, with certificates checked at the clock's current time: a credential that
   * expired since the last reload fails closed at the next translation.
   */
  static ConfigTranslator standard(Clock clock, String trustDomain) {
    Translator translator = new Translator();
    return (config, proxy) ->
        translator.translate(config, proxy, new TranslationContext(clock.instant(), trustDomain));
  }
}
