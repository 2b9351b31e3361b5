package dev.outpost.translator.parse;

import dev.outpost.translator.model.KubePod;
import dev.outpost.translator.model.ObjectMeta;

/** Reads the two things the translator uses of a Pod: its labels and its service account. */
final class PodParser {
  private PodParser() {}

  static KubePod parse(ObjectMeta meta, FieldReader root) {
    String serviceAccount =
        root.object("spec")
            .flatMap(spec -> spec.string("serviceAccountName"))
            .filter(s -> !s.isEmpty())
            .orElse("default");
    return new KubePod(meta, serviceAccount);
  }
}
