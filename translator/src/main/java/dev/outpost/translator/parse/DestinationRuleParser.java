package dev.outpost.translator.parse;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import dev.outpost.translator.model.DestinationRule;
import dev.outpost.translator.model.ObjectMeta;
import dev.outpost.translator.model.Subset;
import dev.outpost.translator.model.TrafficPolicy;
import dev.outpost.translator.model.WorkloadSelector;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/** Reads and validates a DestinationRule spec; the traffic policy has its own parser. */
final class DestinationRuleParser {
  private DestinationRuleParser() {}

  static DestinationRule parse(ObjectMeta meta, FieldReader spec) {
    String host = spec.requiredString("host");
    // Istio accepts "*" here: a rule for every host (mesh-wide defaults).
    if (!host.isEmpty()) {
      HostValidator.checkWildcardHost(host, true).ifPresent(msg -> spec.error("host", msg));
    }
    Optional<TrafficPolicy> policy = spec.object("trafficPolicy").map(TrafficPolicyParser::parse);
    ImmutableList.Builder<Subset> subsets = ImmutableList.builder();
    Set<String> names = new HashSet<>();
    for (FieldReader s : spec.objects("subsets")) {
      String name = s.requiredString("name");
      if (!name.isEmpty() && !Names.isDns1123Label(name)) {
        s.error(
            "name",
            "\"" + name + "\" is not a valid subset name (a DNS-1123 label such as \"v1\")");
      }
      if (!name.isEmpty() && !names.add(name)) {
        s.error("name", "subset \"" + name + "\" is defined twice; subset names must be unique");
      }
      ImmutableSortedMap<String, String> labels = Fields.labels(s, "labels");
      Optional<TrafficPolicy> subsetPolicy =
          s.object("trafficPolicy").map(TrafficPolicyParser::parse);
      s.finish();
      subsets.add(new Subset(name, labels, subsetPolicy));
    }
    ImmutableList<String> exportTo = Fields.exportTo(spec, false);
    Optional<WorkloadSelector> selector = Fields.workloadSelector(spec, "matchLabels");
    spec.notSupportedYet("workloadSelector");
    spec.finish();
    return new DestinationRule(meta, host, policy, subsets.build(), exportTo, selector);
  }
}
