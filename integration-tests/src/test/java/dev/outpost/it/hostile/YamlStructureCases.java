package dev.outpost.it.hostile;

import static dev.outpost.it.hostile.CaseFiles.repeated;
import static dev.outpost.it.hostile.CaseFiles.text;

import java.util.ArrayList;
import java.util.List;

/**
 * YAML that costs more to read than it weighs: billion laughs through anchors (in a document, a
 * resource, merge keys, the mesh config's embedded YAML, an EnvoyFilter value), deep nesting (flow,
 * block, JSON, inside a resource and an EnvoyFilter value), recursive aliases, foreign tags, many
 * documents. Each must end in a diagnostic naming the file or the resource, quickly.
 */
final class YamlStructureCases {
  private YamlStructureCases() {}

  /** Nine levels of nine aliases each: 9^9 (387 million) nodes once expanded. */
  static String laughs(String indent) {
    StringBuilder s = new StringBuilder(indent + "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (int i = 1; i <= 9; i++) {
      String a = "*l" + (i - 1);
      s.append(indent).append("l").append(i).append(": &l").append(i).append(" [")
          .append(String.join(", ", java.util.Collections.nCopies(9, a))).append("]\n");
    }
    return s.toString();
  }

  static List<HostileCase> cases() {
    List<HostileCase> cases = new ArrayList<>();
    String vsHead = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: hostile, namespace: istio-system}
        spec:
          hosts: [hostile.example.com]
          gateways: [good-gw]
        """;
    cases.add(HostileCase.file("yaml-bomb", "billion-laughs-document", text(laughs("")), "file hostile.yaml"));
    cases.add(HostileCase.file("yaml-bomb", "billion-laughs-in-virtualservice-spec",
        text(vsHead + "  bomb:\n" + laughs("    ")), "hostile"));
    cases.add(HostileCase.file("yaml-bomb", "billion-laughs-as-http-routes",
        text(vsHead.replace("spec:\n", "x-laughs:\n" + laughs("  ") + "spec:\n") + "  http: *l9\n"), "hostile"));
    StringBuilder merge = new StringBuilder("m0: &m0 {a0: 1, a1: 1, a2: 1, a3: 1, a4: 1, a5: 1, a6: 1, a7: 1}\n");
    for (int i = 1; i <= 12; i++) {
      merge.append("m").append(i).append(": &m").append(i).append(" {<<: [");
      List<String> refs = new ArrayList<>();
      for (int j = 0; j < 8; j++) {
        refs.add("*m" + (i - 1));
      }
      merge.append(String.join(", ", refs)).append("], b").append(i).append(": 1}\n");
    }
    cases.add(HostileCase.file("yaml-bomb", "merge-key-chain", text(merge.toString()), "file hostile.yaml"));
    cases.add(HostileCase.file("yaml-bomb", "one-anchor-aliased-100000-times",
        repeated("a: &a [x, x, x, x, x, x, x, x, x, x]\nb: [", "*a, ", 100_000, "*a]\n"), "file hostile.yaml"));
    cases.add(HostileCase.file("yaml-bomb", "billion-laughs-in-mesh-config",
        // Outpost reads only outboundTrafficPolicy.mode there and passes over other keys (istiod's
        // business); the aliases must cost nothing, and no diagnostic is due.
        text(meshConfig(laughs("    ") + "    outboundTrafficPolicy: {mode: ALLOW_ANY}\n"))));
    cases.add(HostileCase.file("yaml-bomb", "billion-laughs-in-envoyfilter-value",
        text(envoyFilterWithTypedConfig("x-laughs: *l9").replace("spec:\n", "x-laughs:\n" + laughs("  ") + "spec:\n")),
        "hostile"));
    cases.add(HostileCase.file("yaml-bomb", "recursive-alias", text("a: &a [*a, *a]\n"), "file hostile.yaml"));
    cases.add(HostileCase.file("yaml-bomb", "foreign-tags",
        text(vsHead.replace("[hostile.example.com]", "[!!java.net.URL [\"http://example.com\"]]")
            + "  x: !!python/object/apply:os.system [\"true\"]\n"), "hostile"));

    cases.add(HostileCase.file("deep-nesting", "flow-sequences-100000",
        repeated("a: ", "[", 100_000, ""), "file hostile.yaml"));
    cases.add(HostileCase.file("deep-nesting", "flow-mappings-50000-closed",
        repeated("a: " + "{a: ".repeat(50_000), "}", 50_000, "\n"), "file hostile.yaml"));
    StringBuilder block = new StringBuilder();
    for (int i = 0; i < 1500; i++) {
      block.append(" ".repeat(i)).append("a:\n");
    }
    cases.add(HostileCase.file("deep-nesting", "block-mappings-1500", text(block + " ".repeat(1500) + "b: 1\n"),
        "file hostile.yaml"));
    cases.add(HostileCase.file("deep-nesting", "json-objects-100000",
        dir -> java.nio.file.Files.writeString(dir.resolve("hostile.json"), "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000)),
        "file hostile.json"));
    cases.add(HostileCase.file("deep-nesting", "json-arrays-100000-unclosed",
        dir -> java.nio.file.Files.writeString(dir.resolve("hostile.json"), "[".repeat(100_000)),
        "file hostile.json"));
    cases.add(HostileCase.file("deep-nesting", "in-virtualservice-spec-5000",
        text(vsHead + "  http: " + "[".repeat(5000) + "]".repeat(5000) + "\n"), "hostile"));
    cases.add(HostileCase.file("deep-nesting", "in-envoyfilter-value-3000",
        text(envoyFilterWithTypedConfig("deep: " + "{a: ".repeat(3000) + "1" + "}".repeat(3000))), "hostile"));
    cases.add(HostileCase.file("deep-nesting", "in-envoyfilter-value-900",
        text(envoyFilterWithTypedConfig("deep: " + "{a: ".repeat(900) + "1" + "}".repeat(900))), "file hostile.yaml", "nested more than 100 levels"));
    cases.add(HostileCase.file("deep-nesting", "in-mesh-config-10000",
        text(meshConfig("    a: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n")), "ConfigMap istio-system/istio", "data.mesh"));

    cases.add(HostileCase.file("many-documents", "100000-empty-documents",
        repeated("", "---\n", 100_000, Manifests.VIRTUAL_SERVICE.yaml().replace("hosts: [hostile.example.com]", "hosts: hostile.example.com")),
        "file hostile.yaml", "past 10000 resources"));
    cases.add(HostileCase.file("many-documents", "20000-documents-without-kind",
        repeated("", "---\na: 1\n", 20_000, ""), "file hostile.yaml"));
    cases.add(HostileCase.file("many-documents", "5000-copies-of-one-resource",
        repeated("", "---\n" + Manifests.SERVICE_ENTRY.yaml(), 5_000, ""), "ServiceEntry istio-system/hostile"));
    return cases.stream().map(HostileCase::viaTranslateCommand).toList();
  }

  static String meshConfig(String meshBody) {
    return """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: istio, namespace: istio-system}
        data:
          mesh: |
        """ + meshBody;
  }

  /** The seed EnvoyFilter with one more key in its typed_config. */
  static String envoyFilterWithTypedConfig(String extra) {
    return Manifests.ENVOY_FILTER.yaml().replace(
        "          stat_prefix: http_local_rate_limiter\n",
        "          stat_prefix: http_local_rate_limiter\n          " + extra + "\n");
  }
}
