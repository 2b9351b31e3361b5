package dev.outpost.it.hostile;

import static dev.outpost.it.hostile.CaseFiles.bytes;
import static dev.outpost.it.hostile.CaseFiles.concat;
import static dev.outpost.it.hostile.CaseFiles.text;
import static dev.outpost.it.hostile.CaseFiles.utf8;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Bytes that are not clean UTF-8 YAML: invalid and truncated UTF-8, UTF-16/32 with their BOMs, NUL
 * and control characters (in the file and, escaped, inside values), bidi overrides, lone
 * surrogates, tabs as indentation, random binary. A file that cannot be text is named; a value
 * that cannot be a host is named with its field. A UTF-8 BOM is fine: the file is read, which the
 * broken resource in it proves.
 */
final class BadByteCases {
  private BadByteCases() {}

  /** A VirtualService whose hosts is not a list: read, it is an error naming the resource and field. */
  static final String BROKEN_VS =
      Manifests.VIRTUAL_SERVICE.yaml().replace("hosts: [hostile.example.com]", "hosts: hostile.example.com");

  static final String[] BROKEN_VS_DIAGNOSTIC = {"VirtualService istio-system/hostile:", "spec.hosts"};

  static String vsWithHost(String yamlQuotedHost) {
    return Manifests.VIRTUAL_SERVICE.yaml().replace("hosts: [hostile.example.com]", "hosts: [" + yamlQuotedHost + "]");
  }

  static List<HostileCase> cases() {
    List<HostileCase> cases = new ArrayList<>();
    byte[] vs = utf8(Manifests.VIRTUAL_SERVICE.yaml());
    int at = Manifests.VIRTUAL_SERVICE.yaml().indexOf("hostile.example.com");
    byte[] head = java.util.Arrays.copyOfRange(vs, 0, at);
    byte[] tail = java.util.Arrays.copyOfRange(vs, at, vs.length);
    cases.add(HostileCase.file("bad-bytes", "invalid-utf8-0xff", bytes(concat(head, new byte[] {(byte) 0xFF}, tail)), "file hostile.yaml"));
    cases.add(HostileCase.file("bad-bytes", "overlong-utf8-nul", bytes(concat(head, new byte[] {(byte) 0xC0, (byte) 0x80}, tail)), "file hostile.yaml"));
    cases.add(HostileCase.file("bad-bytes", "utf8-encoded-surrogate", bytes(concat(head, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, tail)), "file hostile.yaml"));
    cases.add(HostileCase.file("bad-bytes", "truncated-utf8-at-end", bytes(concat(vs, new byte[] {(byte) 0xE2, (byte) 0x82})), "file hostile.yaml"));
    cases.add(HostileCase.file("bad-bytes", "utf16le-with-bom",
        bytes(concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, BROKEN_VS.getBytes(StandardCharsets.UTF_16LE))), "file hostile.yaml"));
    cases.add(HostileCase.file("bad-bytes", "utf16be-with-bom",
        bytes(concat(new byte[] {(byte) 0xFE, (byte) 0xFF}, BROKEN_VS.getBytes(StandardCharsets.UTF_16BE))), "file hostile.yaml"));
    cases.add(HostileCase.file("bad-bytes", "utf32le-with-bom",
        bytes(concat(new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 0}, BROKEN_VS.getBytes(java.nio.charset.Charset.forName("UTF-32LE")))), "file hostile.yaml"));
    cases.add(HostileCase.file("bad-bytes", "utf8-bom-then-a-broken-resource",
        bytes(concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8(BROKEN_VS))), BROKEN_VS_DIAGNOSTIC));
    cases.add(HostileCase.file("bad-bytes", "utf8-bom-between-documents",
        text(Manifests.SERVICE_ENTRY.yaml() + "---\n\uFEFF" + BROKEN_VS), "hostile"));
    cases.add(HostileCase.file("bad-bytes", "raw-nul-in-a-value", bytes(concat(head, new byte[] {'a', 0, 'b', '.'}, tail)), "hostile"));
    cases.add(HostileCase.file("bad-bytes", "all-nul-4096", bytes(new byte[4096]), "file hostile.yaml"));
    byte[] random = new byte[65_536];
    new Random(16).nextBytes(random);
    cases.add(HostileCase.file("bad-bytes", "random-64k", bytes(random), "file hostile.yaml"));
    cases.add(HostileCase.file("bad-bytes", "raw-escape-sequence-in-a-value",
        bytes(concat(head, utf8("\u001b[2J\u001b]0;owned\u0007"), tail)), "hostile"));
    cases.add(HostileCase.file("bad-bytes", "raw-del-and-c1-controls", bytes(concat(head, utf8("a\u007f\u0085\u009b."), tail)), "hostile"));
    cases.add(HostileCase.file("bad-bytes", "escaped-nul-in-host", text(vsWithHost("\"bad\\0.example.com\"")),
        "VirtualService istio-system/hostile:", "spec.hosts[0]"));
    cases.add(HostileCase.file("bad-bytes", "escaped-escape-sequence-in-host", text(vsWithHost("\"\\e[31mred.example.com\"")),
        "VirtualService istio-system/hostile:", "spec.hosts[0]"));
    cases.add(HostileCase.file("bad-bytes", "bidi-override-in-host", text(vsWithHost("\"moc.elpmaxe\u202E.evil\"")),
        "VirtualService istio-system/hostile:", "spec.hosts[0]"));
    cases.add(HostileCase.file("bad-bytes", "lone-surrogate-escape-in-host", text(vsWithHost("\"\\uD800.example.com\"")), "hostile"));
    cases.add(HostileCase.file("bad-bytes", "line-separator-in-host", text(vsWithHost("\"a\u2028b.example.com\"")),
        "VirtualService istio-system/hostile:", "spec.hosts[0]"));
    cases.add(HostileCase.file("bad-bytes", "nul-in-a-key",
        text(BROKEN_VS.replace("spec:\n", "spec:\n  \"x\\0y\": 1\n")), "VirtualService istio-system/hostile:"));
    cases.add(HostileCase.file("bad-bytes", "tabs-as-indentation", text(Manifests.VIRTUAL_SERVICE.yaml().replace("\n  ", "\n\t")), "file hostile.yaml"));
    cases.add(HostileCase.file("bad-bytes", "carriage-returns-only", text(BROKEN_VS.replace("\n", "\r")), BROKEN_VS_DIAGNOSTIC));
    cases.add(HostileCase.file("bad-bytes", "escaped-nul-in-header-name",
        text(Manifests.VIRTUAL_SERVICE.yaml().replace("headers: {x-env:", "headers: {\"x\\0env\":")),
        "VirtualService istio-system/hostile:", "spec.http[0].match[0].headers"));
    return cases.stream().map(HostileCase::viaTranslateCommand).toList();
  }
}
