package dev.outpost.it.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.outpost.it.ads.DeltaClient;
import dev.outpost.it.ads.SotwClient;
import dev.outpost.it.support.ConfigFiles;
import dev.outpost.it.support.SecretManifest;
import dev.outpost.it.support.TestCa;
import dev.outpost.server.OutpostServer;
import dev.outpost.server.ServingOptions;
import dev.outpost.server.source.ConfigDirStatus;
import dev.outpost.server.source.FileConfigSource;
import dev.outpost.server.xds.IdentityResolver;
import dev.outpost.translator.diag.Diagnostic;
import dev.outpost.translator.model.ConfigSnapshot;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A long sequence of hostile edits against a running server (the real file source, parser,
 * translator, checker and ADS server on loopback) with a SotW and a delta gateway connected:
 * truncations, half-written files, bad bytes, deletes, renames, editor saves, directory swaps,
 * symlink swaps, a vanished directory. After each step no good resource was removed or changed on
 * either stream, and nothing the checker refuses (what Envoy would NACK) was produced. Then an
 * intended edit and an intended deletion still reach both proxies.
 */
class LiveEditTest {
  private static final String ROUTE_HTTP = "http.80";
  private static final String ROUTE_HTTPS = "https.443.https.gw.istio-system";
  private static final String SERVER_SECRET = "kubernetes://egress-cert";
  private static final String EXTRA_CLUSTER = "outbound|80||api.example.com";
  private static final Duration GRACE = Duration.ofSeconds(5);
  private static final FileConfigSource.Settings FAST =
      new FileConfigSource.Settings(Duration.ofMillis(50), Duration.ofSeconds(1), GRACE, Duration.ofMillis(200));

  private static final String EGRESS =
      """
      apiVersion: networking.istio.io/v1
      kind: Gateway
      metadata: {name: gw, namespace: istio-system}
      spec:
        selector: {istio: egressgateway}
        servers:
        - port: {number: 80, name: http, protocol: HTTP}
          hosts: [httpbin.org]
        - port: {number: 443, name: https, protocol: HTTPS}
          hosts: [secure.example.com]
          tls: {mode: SIMPLE, credentialName: egress-cert}
      ---
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata: {name: httpbin, namespace: istio-system}
      spec:
        hosts: [httpbin.org, secure.example.com]
        gateways: [gw]
        http:
        - route:
          - destination: {host: httpbin.org, port: {number: 80}}
      ---
      apiVersion: networking.istio.io/v1
      kind: ServiceEntry
      metadata: {name: httpbin, namespace: istio-system}
      spec:
        hosts: [httpbin.org]
        ports: [{number: 80, name: http, protocol: HTTP}]
        resolution: DNS
      """;

  private static final String POLICY =
      """
      apiVersion: networking.istio.io/v1
      kind: DestinationRule
      metadata: {name: httpbin, namespace: istio-system}
      spec:
        host: httpbin.org
        trafficPolicy:
          connectionPool: {tcp: {maxConnections: 10}}
      ---
      apiVersion: security.istio.io/v1
      kind: AuthorizationPolicy
      metadata: {name: deny-admin, namespace: istio-system}
      spec:
        selector: {matchLabels: {istio: egressgateway}}
        action: DENY
        rules:
        - to: [{operation: {paths: ["/admin/*"]}}]
      ---
      apiVersion: networking.istio.io/v1alpha3
      kind: EnvoyFilter
      metadata: {name: add-header, namespace: istio-system}
      spec:
        workloadSelector: {labels: {istio: egressgateway}}
        configPatches:
        - applyTo: ROUTE_CONFIGURATION
          match: {context: GATEWAY}
          patch:
            operation: MERGE
            value:
              response_headers_to_add:
              - header: {key: x-egress, value: outpost}
      ---
      apiVersion: networking.istio.io/v1
      kind: Sidecar
      metadata: {name: default, namespace: apps}
      spec:
        egress:
        - hosts: ["./*", "istio-system/*"]
      """;

  private static final String EXTRA =
      """
      apiVersion: networking.istio.io/v1
      kind: Gateway
      metadata: {name: gw-extra, namespace: istio-system}
      spec:
        selector: {istio: egressgateway}
        servers:
        - port: {number: 8080, name: http-extra, protocol: HTTP}
          hosts: [api.example.com]
      ---
      apiVersion: networking.istio.io/v1
      kind: ServiceEntry
      metadata: {name: extra, namespace: istio-system}
      spec:
        hosts: [api.example.com]
        ports: [{number: 80, name: http, protocol: HTTP}]
        resolution: DNS
      ---
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata: {name: extra, namespace: istio-system}
      spec:
        hosts: [api.example.com]
        gateways: [gw-extra]
        http:
        - route:
          - destination: {host: api.example.com, port: {number: 80}}
      """;

  private static final String VS = "VirtualService istio-system/httpbin";

  @TempDir Path tmp;

  private final HttpClient http = HttpClient.newHttpClient();
  private final List<String> steps = new ArrayList<>();
  private Path dir;
  private String secretYaml;
  private OutpostServer server;
  private FileConfigSource source;
  private Streams streams;
  private Map<String, Map<String, String>> baseline;
  private List<String> baselineResources;

  /**
   * The first server of a JVM loads Envoy's descriptors and validators (tens of seconds on a busy
   * machine): done here, outside the test's own time limit.
   */
  @BeforeAll
  static void loadTheCheckerOnce() throws Exception {
    OutpostServer.start(new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("127.0.0.1", 0)).close();
  }

  @Test
  void hostileEditsNeverTakeAwayOrChangeWhatIsServedAndRealEditsStillArrive() throws Exception {
    dir = Files.createDirectory(tmp.resolve("config"));
    secretYaml = SecretManifest.keyPair(
        "istio-system", "egress-cert", TestCa.create("Gateway CA").issueServer("secure.example.com")).yaml();
    writeGoodConfig(dir);
    ConfigDirStatus status = new ConfigDirStatus(dir);
    try (OutpostServer started =
            OutpostServer.start(
                new InetSocketAddress("127.0.0.1", 0),
                new InetSocketAddress("127.0.0.1", 0),
                new ServingOptions(IdentityResolver.FROM_METADATA, status));
        FileConfigSource fileSource = new FileConfigSource(dir, started.publisher(), started.metrics(), status, FAST);
        SotwClient sotw = new SotwClient(started.xdsPort(), gateway("egress-1.istio-system"));
        DeltaClient delta = new DeltaClient(started.xdsPort(), gateway("egress-2.istio-system"))) {
      server = started;
      source = fileSource;
      source.start();
      assertEquals(List.of(), errors(), "the starting config is valid");
      streams = new Streams(sotw, delta, List.of(ROUTE_HTTP, ROUTE_HTTPS), List.of(SERVER_SECRET));
      streams.subscribe();
      baseline = streams.served();
      baselineResources = resources(config());
      assertTrue(baseline.get(Streams.CDS).containsKey("outbound|80||httpbin.org"), baseline.toString());
      assertTrue(baseline.get(Streams.SDS).containsKey(SERVER_SECRET), baseline.toString());
      assertEquals(baseline, streams.deltaServed(), "both streams serve the same");
      assertEquals(List.of(), server.publisher().translationDiagnostics(), "every resource is applied, the EnvoyFilter too");

      hostileEditsOfOneFile();
      hostileFileOperations();
      directorySwaps();
      vanishedDirectory();
      symlinkSwaps();

      // An intended edit still reaches both proxies, and so does an intended deletion.
      Path current = dir.toRealPath();
      long reloads = server.metrics().configReloads();
      ConfigFiles.replace(current, "extra.yaml", EXTRA);
      await("the new cluster is served on both streams", () -> streams.bothServe(Streams.CDS, EXTRA_CLUSTER));
      assertTrue(server.metrics().configReloads() > reloads);
      Files.delete(current.resolve("extra.yaml"));
      await("the deleted cluster is withdrawn on both streams", () -> streams.neitherServes(Streams.CDS, EXTRA_CLUSTER));
      assertEquals(baseline, streams.served());
      assertEquals(baseline, streams.deltaServed());
      assertEquals(0, server.metrics().rejectedSnapshots(), "the checker refused a snapshot");
      assertEquals(0, server.metrics().nacks());
    }
  }

  /** The issue's reproduction and other ways one file is caught mid-write. */
  private void hostileEditsOfOneFile() throws Exception {
    Path egress = dir.resolve("egress.yaml");
    long reloads = server.metrics().configReloads();
    step("truncate egress.yaml", () -> Files.writeString(egress, ""), () -> server.metrics().configReloads() > reloads);
    assertTrue(hasDiagnostic(VS, "stays in effect until"), config().diagnostics().toString());
    Thread.sleep(500); // the issue's half second between the truncation and the rewrite
    step("rewrite it with gateways: gw", () -> Files.writeString(egress, brokenEgress()), () -> keepsLastGood(VS));
    restore("egress.yaml");

    // Written in pieces and read at a cut: inside the kind, inside a flow list, before a name.
    for (String cutAfter : List.of("kind: VirtualSer", "gateways: [g", "kind: ServiceEntry\nmetadata:", "port: {number: 44")) {
      String prefix = EGRESS.substring(0, EGRESS.indexOf(cutAfter) + cutAfter.length());
      step("egress.yaml cut after \"" + cutAfter + "\"", () -> Files.writeString(egress, prefix),
          () -> config().diagnostics().stream()
              .anyMatch(d -> d.message().startsWith("could not be read because egress.yaml")));
      restore("egress.yaml");
    }
    step("egress.yaml cut inside a multi-byte character",
        () -> Files.write(egress, cutInsideCharacter(EGRESS + "# café\n")),
        () -> hasDiagnostic("file egress.yaml", "not UTF-8"));
    restore("egress.yaml");
    step("egress.yaml with a tab where YAML wants spaces",
        () -> Files.writeString(egress, EGRESS.replace("  gateways: [gw]", "\tgateways: [gw]")),
        () -> hasDiagnostic(VS, "could not be read because egress.yaml"));
    restore("egress.yaml");
    step("truncate policy.yaml (four kinds in it)", () -> Files.writeString(dir.resolve("policy.yaml"), "# being written\n"),
        () -> hasDiagnostic("EnvoyFilter istio-system/add-header", "stays in effect until")
            && hasDiagnostic("Sidecar apps/default", "stays in effect until"));
    restore("policy.yaml");
    step("truncate the Secret", () -> Files.writeString(dir.resolve("secret.yaml"), ""),
        () -> hasDiagnostic("Secret istio-system/egress-cert", "stays in effect until"));
    restore("secret.yaml");
  }

  private void hostileFileOperations() throws Exception {
    step("a broken new file appears", () -> Files.writeString(dir.resolve("junk.yaml"), "kind: [unclosed\n  - {"),
        () -> hasDiagnostic("file junk.yaml", "cannot be parsed"));
    step("it is deleted", () -> Files.delete(dir.resolve("junk.yaml")), () -> !hasDiagnostic("file junk.yaml", ""));
    long reloads = server.metrics().configReloads();
    step("policy.yaml renamed to policies.yaml", () -> Files.move(dir.resolve("policy.yaml"), dir.resolve("policies.yaml"),
            StandardCopyOption.ATOMIC_MOVE),
        () -> server.metrics().configReloads() > reloads && hasNoDiagnostics()
            && config().envoyFilters().get(0).metadata().origin().startsWith("policies.yaml"));
    step("renamed back", () -> Files.move(dir.resolve("policies.yaml"), dir.resolve("policy.yaml"), StandardCopyOption.ATOMIC_MOVE),
        () -> hasNoDiagnostics() && config().envoyFilters().get(0).metadata().origin().startsWith("policy.yaml"));
    step("an editor saves a mistake (temp file, rename)", () -> saveLikeAnEditor(dir, "egress.yaml", brokenEgress()),
        () -> keepsLastGood(VS));
    step("an editor saves the fix", () -> saveLikeAnEditor(dir, "egress.yaml", EGRESS), this::hasNoDiagnostics);
    step("a file that is not a manifest appears",
        () -> Files.writeString(dir.resolve("notes.txt"), "not a manifest"), this::hasNoDiagnostics);
  }

  /** {@code mv DIR DIR.old; mv NEW DIR}, as deploy tools publish a new revision. */
  private void directorySwaps() throws Exception {
    long replaced = source.status().replacements();
    Path next = Files.createDirectory(tmp.resolve("next"));
    writeGoodConfig(next);
    step("the directory is swapped for an identical one", () -> {
      Files.move(dir, tmp.resolve("config.old"));
      Files.move(next, dir);
    }, () -> source.status().replacements() > replaced && source.status().available() && hasNoDiagnostics());
    step("the new directory is watched: a truncation in it is seen", () -> Files.writeString(dir.resolve("egress.yaml"), ""),
        () -> hasDiagnostic(VS, "stays in effect until"));
    restore("egress.yaml");
    step("an edit of the old directory is not read", () -> Files.writeString(tmp.resolve("config.old/egress.yaml"), ""),
        this::hasNoDiagnostics);

    long replacedAgain = source.status().replacements();
    Path broken = Files.createDirectory(tmp.resolve("broken"));
    writeGoodConfig(broken);
    Files.writeString(broken.resolve("egress.yaml"), brokenEgress());
    step("swapped for a revision with a mistake", () -> {
      Files.move(dir, tmp.resolve("config.good"));
      Files.move(broken, dir);
    }, () -> source.status().replacements() > replacedAgain && keepsLastGood(VS));
    long replacedThird = source.status().replacements();
    step("swapped back", () -> {
      Files.move(dir, tmp.resolve("config.broken"));
      Files.move(tmp.resolve("config.good"), dir);
    }, () -> source.status().replacements() > replacedThird && hasNoDiagnostics());
  }

  private void vanishedDirectory() throws Exception {
    step("the directory vanishes", () -> Files.move(dir, tmp.resolve("config.gone")), () -> !source.status().available());
    String ready = readyz();
    assertTrue(ready.startsWith("200 ready\nconfig directory " + dir + " is missing since"), ready);
    assertTrue(ready.contains("serving the last good config, loaded at"), ready);
    assertTrue(server.metrics().prometheusText().contains("outpost_config_source_available 0\n"));
    step("a file of the vanished directory is emptied meanwhile",
        () -> Files.writeString(tmp.resolve("config.gone/egress.yaml"), ""), () -> !source.status().available());
    step("it comes back", () -> {
      Files.writeString(tmp.resolve("config.gone/egress.yaml"), EGRESS);
      Files.move(tmp.resolve("config.gone"), dir);
    }, () -> source.status().available() && hasNoDiagnostics());
    assertEquals("200 ready\n", readyz());
    assertTrue(server.metrics().prometheusText().contains("outpost_config_source_available 1\n"));
  }

  /** git-sync's layout: DIR is a symlink to a revision, re-pointed by renaming a new link over it. */
  private void symlinkSwaps() throws Exception {
    long before = source.status().replacements();
    step("the directory becomes a symlink to rev1", () -> {
      Files.move(dir, tmp.resolve("rev1"));
      Files.createSymbolicLink(dir, Path.of("rev1"));
    }, () -> source.status().available() && source.status().replacements() > before && hasNoDiagnostics());
    Path rev2 = Files.createDirectory(tmp.resolve("rev2"));
    writeGoodConfig(rev2);
    repoint("re-pointed to an identical rev2", "rev2", this::hasNoDiagnostics);
    step("rev2 is watched: an editor's broken save in it is seen",
        () -> saveLikeAnEditor(rev2, "egress.yaml", brokenEgress()), () -> keepsLastGood(VS));
    saveLikeAnEditor(rev2, "egress.yaml", EGRESS);
    await("the fix in rev2 is read", this::hasNoDiagnostics);
    Path rev3 = Files.createDirectory(tmp.resolve("rev3"));
    writeGoodConfig(rev3);
    Files.writeString(rev3.resolve("egress.yaml"), EGRESS.substring(0, EGRESS.indexOf("gateways: [g") + 12));
    repoint("re-pointed to a half-written rev3", "rev3", () -> hasDiagnostic(VS, "could not be read because egress.yaml"));
    long replaced = source.status().replacements();
    step("re-pointed to a revision that does not exist", () -> repointLink("rev-missing"), () -> !source.status().available());
    step("re-pointed to rev2 again", () -> repointLink("rev2"),
        () -> source.status().available() && source.status().replacements() > replaced && hasNoDiagnostics());
  }

  private void repoint(String name, String target, BooleanSupplier done) throws Exception {
    long replaced = source.status().replacements();
    step(name, () -> repointLink(target), () -> source.status().replacements() > replaced && done.getAsBoolean());
  }

  private void repointLink(String target) throws Exception {
    Path link = tmp.resolve("config.link");
    Files.createSymbolicLink(link, Path.of(target));
    Files.move(link, dir, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private interface Action {
    void run() throws Exception;
  }

  /**
   * One hostile step: do it, wait until the source has read its outcome, then demand that both
   * proxies still have exactly the baseline and that the published config has every resource.
   */
  private void step(String name, Action action, BooleanSupplier outcome) throws Exception {
    steps.add(name);
    long start = System.nanoTime();
    action.run();
    await(name, outcome);
    assertUnchanged(name);
    System.out.printf("step %-70s %5d ms%n", name.replace('\n', ' '), (System.nanoTime() - start) / 1_000_000);
  }

  private void restore(String file) throws Exception {
    step("restore " + file, () -> ConfigFiles.replace(dir, file, goodContent(file)), this::hasNoDiagnostics);
  }

  private void assertUnchanged(String name) throws Exception {
    streams.settle(Duration.ofMillis(300));
    assertEquals(baseline, streams.served(), "SotW proxy after \"" + name + "\"; steps so far: " + steps);
    assertEquals(baseline, streams.deltaServed(), "delta proxy after \"" + name + "\"; steps so far: " + steps);
    assertEquals(baselineResources, resources(config()), "published config after \"" + name + "\"");
    assertEquals(0, server.metrics().rejectedSnapshots(), "the checker refused a snapshot after \"" + name + "\"");
    assertEquals(0, server.metrics().nacks(), "NACK after \"" + name + "\"");
  }

  private void writeGoodConfig(Path into) throws Exception {
    for (String file : List.of("egress.yaml", "policy.yaml", "secret.yaml")) {
      Files.writeString(into.resolve(file), goodContent(file));
    }
  }

  private String goodContent(String file) {
    return switch (file) {
      case "egress.yaml" -> EGRESS;
      case "policy.yaml" -> POLICY;
      case "secret.yaml" -> secretYaml;
      default -> throw new IllegalArgumentException(file);
    };
  }

  private static String brokenEgress() {
    return EGRESS.replace("gateways: [gw]", "gateways: gw");
  }

  private static byte[] cutInsideCharacter(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return java.util.Arrays.copyOf(bytes, bytes.length - 2); // "é\n" is 3 bytes: keep only the first
  }

  private static void saveLikeAnEditor(Path in, String name, String content) throws Exception {
    Path swap = in.resolve("." + name + ".swp");
    Files.writeString(swap, content);
    Files.move(swap, in.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private ConfigSnapshot config() {
    return server.publisher().config().orElseThrow();
  }

  private List<Diagnostic> errors() {
    return config().diagnostics().stream().filter(Diagnostic::isError).toList();
  }

  private boolean hasNoDiagnostics() {
    return config().diagnostics().isEmpty();
  }

  private boolean hasDiagnostic(String subject, String text) {
    return config().diagnostics().stream().anyMatch(d -> d.subject().equals(subject) && d.message().contains(text));
  }

  private boolean keepsLastGood(String subject) {
    return hasDiagnostic(subject, "its last good version (from egress.yaml, document 2) stays in effect");
  }

  /** Every resource of the published config, by kind, namespace and name. */
  private static List<String> resources(ConfigSnapshot s) {
    TreeSet<String> out = new TreeSet<>();
    Stream.of(s.serviceEntries(), s.gateways(), s.virtualServices(), s.destinationRules(), s.secrets(), s.sidecars(),
            s.authorizationPolicies(), s.envoyFilters(), s.services(), s.endpointSlices(), s.pods(), s.meshConfigs())
        .flatMap(List::stream)
        .forEach(r -> out.add(r.getClass().getSimpleName() + " " + metadataOf(r)));
    return List.copyOf(out);
  }

  private static String metadataOf(Record r) {
    try {
      Object meta = r.getClass().getMethod("metadata").invoke(r);
      dev.outpost.translator.model.ObjectMeta m = (dev.outpost.translator.model.ObjectMeta) meta;
      return m.namespace() + "/" + m.name();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private String readyz() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.adminPort() + "/readyz")).build(),
            HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body();
  }

  private static io.envoyproxy.envoy.config.core.v3.Node gateway(String id) {
    return io.envoyproxy.envoy.config.core.v3.Node.newBuilder()
        .setId(id)
        .setCluster("istio-egressgateway")
        .setMetadata(
            Struct.newBuilder()
                .putFields("NAMESPACE", Value.newBuilder().setStringValue("istio-system").build())
                .putFields("ROLE", Value.newBuilder().setStringValue("gateway").build())
                .putFields("SERVICE_ACCOUNT", Value.newBuilder().setStringValue("istio-egressgateway").build())
                .putFields(
                    "LABELS",
                    Value.newBuilder()
                        .setStructValue(
                            Struct.newBuilder().putFields("istio", Value.newBuilder().setStringValue("egressgateway").build()))
                        .build()))
        .build();
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("not within 10 s: " + what);
      }
      Thread.sleep(20);
    }
  }
}
