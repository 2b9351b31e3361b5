package dev.outpost.it.hostile;

import static dev.outpost.it.hostile.CaseFiles.repeated;
import static dev.outpost.it.hostile.CaseFiles.sparse;

import java.util.ArrayList;
import java.util.List;

/**
 * Files and scalars too big to read whole in a 512 MB heap, or too slow to parse: sparse files of
 * gigabytes (no disk used), a 50 MB scalar, a 20 MB document, a mesh config with a 10 MB value, a
 * million keys. The file (or resource) must be named and left out; the rest is served.
 */
final class SizeCases {
  private SizeCases() {}

  static final long GIB = 1L << 30;
  static final int MIB = 1 << 20;

  static List<HostileCase> cases() {
    List<HostileCase> cases = new ArrayList<>();
    cases.add(HostileCase.file("huge", "sparse-3gib-yaml", sparse("hostile.yaml", 3 * GIB), "file hostile.yaml"));
    cases.add(HostileCase.file("huge", "sparse-2gib-plus-1-json", sparse("hostile.json", 2 * GIB + 1), "file hostile.json"));
    cases.add(HostileCase.file("huge", "sparse-600mib-yml", sparse("hostile.yml", 600L * MIB), "file hostile.yml"));
    cases.add(HostileCase.file("huge", "sparse-64mib", sparse("hostile.yaml", 64L * MIB), "file hostile.yaml"));
    String vs = Manifests.VIRTUAL_SERVICE.yaml();
    int host = vs.indexOf("hostile.example.com");
    cases.add(HostileCase.file("huge", "50mb-scalar-in-a-host",
        repeated(vs.substring(0, host), "a", 50 * MIB, vs.substring(host)), "hostile"));
    cases.add(HostileCase.file("huge", "20mb-quoted-scalar-in-a-header",
        repeated(vs.substring(0, vs.indexOf("exact: prod")) + "exact: \"", "b", 20 * MIB, "\"" + vs.substring(vs.indexOf("exact: prod") + 11)),
        "hostile"));
    cases.add(HostileCase.file("huge", "10mb-secret-value",
        repeated(Manifests.SECRET.yaml().replace("aGVsbG8=}", ""), "QUFB", 10 * MIB / 4, "}\n"), "hostile"));
    cases.add(HostileCase.file("huge", "10mb-mesh-config",
        repeated(YamlStructureCases.meshConfig("    outboundTrafficPolicy: {mode: ALLOW_ANY}\n    x: "), "c", 10 * MIB, "\n"),
        "file hostile.yaml", "larger than the limit"));
    cases.add(HostileCase.file("huge", "20mb-document-of-100000-routes",
        repeated(vs.substring(0, vs.indexOf("  - name: r0")),
            "  - route: [{destination: {host: good.example.com, port: {number: 80}}}]\n", 280_000, ""),
        "hostile"));
    cases.add(HostileCase.file("huge", "a-million-keys",
        dir -> {
          try (var out = java.nio.file.Files.newBufferedWriter(dir.resolve("hostile.yaml"))) {
            int spec = vs.indexOf("spec:\n") + "spec:\n".length();
            out.write(vs.substring(0, spec) + "  x:\n");
            for (int i = 0; i < 1_000_000; i++) {
              out.write("    k" + i + ": 1\n");
            }
            out.write(vs.substring(spec));
          }
        }, "hostile"));
    // These three are already refused or read in bounds without the caps.
    List<String> boundedToday = List.of("sparse-64mib", "20mb-document-of-100000-routes", "a-million-keys");
    return cases.stream()
        .map(c -> boundedToday.stream().anyMatch(c.name()::endsWith) ? c : c.needing(Needs.INPUT_BOUNDS))
        .map(c -> c.asHeavy().viaTranslateCommand())
        .toList();
  }
}
