package dev.outpost.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TranslateCommandTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = OutpostCli.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  @Test
  void printsAnEnvoyConfigDumpWithEveryXdsType() throws Exception {
    Files.writeString(dir.resolve("a.yaml"), "apiVersion: v1\n");
    int exit = run("translate", "--config-dir", dir.toString());

    JsonNode dump = new ObjectMapper().readTree(out.toString());
    assertEquals(5, dump.path("configs").size());
    assertEquals("type.googleapis.com/envoy.admin.v3.ClustersConfigDump", dump.path("configs").get(0).path("@type").asText());
    assertEquals("type.googleapis.com/envoy.admin.v3.SecretsConfigDump", dump.path("configs").get(4).path("@type").asText());
    // Whether the scaffold translator reports diagnostics or not, exit code and stderr agree.
    assertEquals(err.toString().contains("ERROR ") ? 2 : 0, exit, err.toString());
  }

  @Test
  void secretKeysAreRedactedInTheDumpAndAbsentFromDiagnostics() throws Exception {
    // A gateway terminating TLS with a Secret (valid until 2031), plus a second Secret whose key
    // does not match its certificate, so that the key's Secret is also the subject of an error.
    String config = Files.readString(Path.of("../translator/src/test/resources/testdata/gateway-tls-simple-credential.in.yaml"));
    String keyBase64 = config.lines().filter(l -> l.strip().startsWith("tls.key:")).findFirst().orElseThrow()
        .strip().substring("tls.key:".length()).strip();
    String keyPem = new String(java.util.Base64.getDecoder().decode(keyBase64), java.nio.charset.StandardCharsets.US_ASCII);
    String keyBody = keyPem.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
    String broken = config.replace("name: server-cert", "name: broken-cert")
        .replaceFirst("tls.crt: \\S+", "tls.crt: " + java.util.Base64.getEncoder().encodeToString(
            "-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n".getBytes()))
        ;
    Files.writeString(dir.resolve("gateway.yaml"), config.replace(
        "    tls: {mode: SIMPLE, credentialName: server-cert}\n",
        "    tls: {mode: SIMPLE, credentialName: server-cert}\n"
            + "  - port: {number: 8443, name: https-broken, protocol: HTTPS}\n"
            + "    hosts: [api.example.com]\n"
            + "    tls: {mode: SIMPLE, credentialName: broken-cert}\n"));
    Files.writeString(dir.resolve("broken.yaml"), broken.substring(0, broken.indexOf("---")));

    assertEquals(2, run("translate", "--config-dir", dir.toString()), err.toString());
    assertTrue(err.toString().contains("broken-cert"), "the broken Secret is the subject of an error: " + err);

    assertTrue(out.toString().contains("kubernetes://server-cert"), out.toString());
    assertTrue(out.toString().contains("[redacted]"), out.toString());
    for (String leak : java.util.List.of(keyBase64.substring(0, 40), keyBody.substring(0, 40))) {
      assertTrue(!out.toString().contains(leak), "key material in the dump: " + leak);
      assertTrue(!err.toString().contains(leak), "key material in the diagnostics: " + leak);
    }
  }

  @Test
  void unreadableFileIsADiagnosticAndExitTwo() throws Exception {
    Files.write(dir.resolve("junk.yaml"), new byte[] {(byte) 0xFF, (byte) 0xFE, 0});
    int exit = run("translate", "--config-dir", dir.toString());
    assertEquals(2, exit);
    assertTrue(err.toString().contains("ERROR file junk.yaml: is not UTF-8"), err.toString());
    assertTrue(out.toString().contains("\"configs\""), "the rest is still printed");
  }

  @Test
  void missingDirectoryIsExitOne() {
    assertEquals(1, run("translate", "--config-dir", dir.resolve("nope").toString()));
    assertTrue(err.toString().contains("cannot read --config-dir"), err.toString());
  }

  @Test
  void usageErrorsAreExitOne() {
    assertEquals(1, run("translate"));
    assertEquals(1, run("translate", "--config-dir", dir.toString(), "--labels", "novalue"));
    assertTrue(err.toString().contains("\"novalue\" is not a label"), err.toString());
    assertEquals(1, run("translate", "--config-dir", dir.toString(), "--role", "sidecar"));
  }

  @Test
  void clientRoleGetsItsHttpProxyListenerForTheDeclaredHosts() throws Exception {
    Files.writeString(
        dir.resolve("se.yaml"),
        String.join(
            "\n",
            "apiVersion: networking.istio.io/v1",
            "kind: ServiceEntry",
            "metadata: {name: api, namespace: apps}",
            "spec:",
            "  hosts: [api.example.com]",
            "  ports: [{number: 80, name: http, protocol: HTTP}]",
            "  resolution: DNS",
            ""));
    assertEquals(
        0,
        run("translate", "--config-dir", dir.toString(), "--role", "client", "--namespace", "apps",
            "--service-account", "sleep"),
        err.toString());
    String dump = out.toString();
    assertTrue(dump.contains("\"name\": \"127.0.0.1_15080\""), dump);
    assertTrue(dump.contains("\"api.example.com:80\""), dump);
    assertTrue(dump.contains("\"outbound|80||api.example.com\""), dump);
    assertTrue(dump.contains("\"block_all\""), dump);
  }

  @Test
  void meshSecretsCountAsSuppliedForTheCheckButAreNotPrinted() {
    var resources = dev.outpost.server.xds.MeshFixtures.istioMutual(60);
    var checker = new dev.outpost.translator.check.SnapshotChecker();
    assertTrue(!checker.check(resources).ok(), "without them the strict check refuses the references");

    var checked = TranslateCommand.withMeshPlaceholders(resources);
    assertTrue(checker.check(checked).ok(), checker.check(checked).problems().toString());
    assertEquals(java.util.List.of("ROOTCA", "default"),
        checked.secrets().stream().map(io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret::getName).toList());
    // Only what is referenced: a config without mesh TLS gets nothing added.
    var plain = dev.outpost.translator.api.EnvoyResources.EMPTY;
    assertTrue(TranslateCommand.withMeshPlaceholders(plain) == plain);
  }
}
