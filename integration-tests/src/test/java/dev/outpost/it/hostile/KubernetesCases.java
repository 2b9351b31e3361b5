package dev.outpost.it.hostile;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.List;

/**
 * Hostile objects that a Kubernetes API server stores as written (beyond the wrong types, regexes,
 * ranges and EnvoyFilters of the other classes): YAML bombs and deep nesting in the mesh config's
 * text, control characters and NUL in strings, a Secret whose data is not base64, huge
 * label values, an EnvoyFilter value nested 900 deep.
 */
final class KubernetesCases {
  private KubernetesCases() {}

  static List<HostileCase> cases() {
    List<HostileCase> cases = new ArrayList<>();
    String meshSubject = "ConfigMap istio-system/istio";
    cases.add(HostileCase.kubernetes("yaml-bomb", "billion-laughs-in-mesh-config",
        ImmutableList.of(YamlStructureCases.meshConfig(YamlStructureCases.laughs("    "))))); // other keys: no diagnostic due
    cases.add(HostileCase.kubernetes("deep-nesting", "mesh-config-10000",
        ImmutableList.of(YamlStructureCases.meshConfig("    a: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n")), meshSubject, "data.mesh"));
    cases.add(HostileCase.kubernetes("wrong-type", "mesh-config-mode-is-a-list",
        ImmutableList.of(YamlStructureCases.meshConfig("    outboundTrafficPolicy: {mode: [ALLOW_ANY]}\n")), meshSubject, "data.mesh"));
    cases.add(HostileCase.kubernetes("deep-nesting", "envoyfilter-value-900",
        ImmutableList.of(YamlStructureCases.envoyFilterWithTypedConfig("deep: " + "{a: ".repeat(900) + "1" + "}".repeat(900))),
        "EnvoyFilter istio-system/hostile"));
    cases.add(HostileCase.kubernetes("bad-bytes", "nul-in-a-host",
        ImmutableList.of(BadByteCases.vsWithHost("\"bad\\0.example.com\"")), "VirtualService istio-system/hostile:", "spec.hosts[0]"));
    cases.add(HostileCase.kubernetes("bad-bytes", "escape-sequence-in-a-host",
        ImmutableList.of(BadByteCases.vsWithHost("\"\\e[2J.example.com\"")), "VirtualService istio-system/hostile:", "spec.hosts[0]"));
    cases.add(HostileCase.kubernetes("bad-bytes", "secret-data-not-base64",
        ImmutableList.of(Manifests.SECRET.yaml().replace("aGVsbG8=", "'not base64 ***'")), "Secret istio-system/hostile:", "data.ca.crt"));
    cases.add(HostileCase.kubernetes("huge", "100kb-pod-label-value-behind-an-endpoint",
        ImmutableList.of(Manifests.POD.yaml().replace("version: v1", "version: " + "v".repeat(100_000)),
            Manifests.SERVICE.yaml(), Manifests.ENDPOINT_SLICE.yaml())));
    cases.add(HostileCase.kubernetes("huge", "1mb-scalar-in-a-virtualservice-host",
        ImmutableList.of(BadByteCases.vsWithHost("a".repeat(1 << 20) + ".example.com")), "VirtualService istio-system/hostile:", "longer than")
        .needing(Needs.INPUT_BOUNDS));
    return cases;
  }
}
