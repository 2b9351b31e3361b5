package dev.outpost.translator.parse;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.model.EnvoyFilter;
import dev.outpost.translator.model.ObjectMeta;
import dev.outpost.translator.model.WorkloadSelector;
import java.util.List;
import java.util.Optional;

/**
 * Reads and validates an EnvoyFilter (networking.istio.io v1alpha3, the only version Istio serves
 * it in): which proxies it patches ({@code workloadSelector}), in which order ({@code priority}),
 * and its {@code configPatches}, each read by {@link EnvoyFilterPatchParser}.
 */
final class EnvoyFilterParser {
  private EnvoyFilterParser() {}

  static EnvoyFilter parse(ObjectMeta meta, FieldReader spec) {
    Optional<WorkloadSelector> selector = Fields.workloadSelector(spec, "labels");
    if (spec.has("targetRefs")) {
      spec.error(
          "targetRefs",
          "is not supported by Outpost (its proxies are not Gateway API gateways): select the"
              + " proxies with workloadSelector.labels instead, e.g. istio: egressgateway");
    }
    int priority = spec.integer("priority").orElse(0);
    ImmutableList<EnvoyFilter.Patch> patches = configPatches(spec);
    spec.finish();
    return new EnvoyFilter(meta, selector, priority, patches);
  }

  private static ImmutableList<EnvoyFilter.Patch> configPatches(FieldReader spec) {
    if (spec.isMissingOrEmpty("configPatches")) {
      // Istio accepts it; it is almost always a mistake (wrong indentation, a typo in the key).
      spec.warning("configPatches", "is empty: this EnvoyFilter changes nothing");
    }
    ImmutableList.Builder<EnvoyFilter.Patch> out = ImmutableList.builder();
    // By element, not objects(): Patch.index is the position in the list as written, also when
    // an earlier element is not an object.
    List<FieldReader.Element> elements = spec.elements("configPatches");
    for (int i = 0; i < elements.size(); i++) {
      FieldReader.Element e = elements.get(i);
      int index = i;
      FieldReader.of(e.node(), e.path(), spec.findings())
          .flatMap(p -> EnvoyFilterPatchParser.parse(index, p))
          .ifPresent(out::add);
    }
    return out.build();
  }
}
