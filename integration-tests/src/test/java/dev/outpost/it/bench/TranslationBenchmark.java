package dev.outpost.it.bench;

import dev.outpost.translator.Translator;
import dev.outpost.translator.api.EnvoyResources;
import dev.outpost.translator.api.MeshSecrets;
import dev.outpost.translator.api.ProxyIdentity;
import dev.outpost.translator.api.ProxyRole;
import dev.outpost.translator.api.SourceFile;
import dev.outpost.translator.api.Translation;
import dev.outpost.translator.api.TranslationContext;
import dev.outpost.translator.check.CheckResult;
import dev.outpost.translator.check.SnapshotChecker;
import dev.outpost.translator.diag.Diagnostic;
import dev.outpost.translator.model.ConfigSnapshot;
import dev.outpost.translator.parse.SnapshotAssembler;
import dev.outpost.translator.patch.EnvoyFilterPatcher;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Measures full translation (parse + validate, translate for one gateway and for one client proxy,
 * PGV and cross-reference check) of generated configs, and what policies add at the gateway:
 * AuthorizationPolicies (RBAC filters), the local rate limit EnvoyFilter (patch and the gate's
 * check), and an EnvoyFilter the gate refuses beside it. A plain harness rather than JMH: each stage runs a few warm-up
 * rounds, then timed rounds, and we report min / median / max wall time per stage. Command and
 * results: BENCHMARKS.md. Arguments: service counts, comma or space separated (default 1000,10000), -Drounds=N.
 */
public final class TranslationBenchmark {
  private static final TranslationContext NOW = TranslationContext.at(Instant.parse("2026-06-01T00:00:00Z"));
  private static final ProxyIdentity GATEWAY =
      ProxyIdentity.of(
          "bench-gateway", ProxyRole.GATEWAY, "istio-system", "egress", Map.of("istio", "egressgateway"));
  /**
   * A workload's client proxy without a Sidecar: it sees every ServiceEntry (a virtual host per
   * host and port, and the clusters), the case Sidecar egress scoping exists for.
   */
  private static final ProxyIdentity CLIENT =
      ProxyIdentity.of("bench-client", ProxyRole.CLIENT, "apps", "sleep", Map.of("app", "sleep"));

  /** AuthorizationPolicies selecting the gateway in the policy stages. */
  private static final int POLICIES = 100;

  private TranslationBenchmark() {}

  public static void main(String[] args) {
    int[] sizes =
        args.length == 0
            ? new int[] {1000, 10000}
            : Arrays.stream(String.join(",", args).split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .mapToInt(Integer::parseInt)
                .toArray();
    int rounds = Integer.getInteger("rounds", 5);
    System.out.printf(Locale.ROOT, "java %s, %d cores, max heap %d MiB, %d timed rounds%n",
        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20, rounds);
    for (int size : sizes) {
      run(size, rounds);
    }
  }

  private static void run(int services, int rounds) {
    List<SourceFile> files = EgressConfigGenerator.generate(services);
    SnapshotAssembler assembler = new SnapshotAssembler();
    Translator translator = new Translator();
    SnapshotChecker checker = new SnapshotChecker();

    ConfigSnapshot snapshot = assembler.assemble(files, ConfigSnapshot.EMPTY);
    Translation translation = translator.translate(snapshot, GATEWAY, NOW);
    CheckResult check = checker.check(translation.resources());
    // A benchmark of broken output measures nothing: refuse to report it.
    if (snapshot.serviceEntries().size() != services || !check.ok() || translation.hasErrors()) {
      throw new IllegalStateException(
          "generated config did not translate cleanly: " + snapshot.serviceEntries().size()
              + " service entries, diagnostics " + translation.diagnostics() + ", check " + check.problems());
    }
    System.out.printf(Locale.ROOT, "%n%d ServiceEntries -> %d listeners, %d route configs, %d clusters, %d endpoints%n",
        services, translation.resources().listeners().size(), translation.resources().routes().size(),
        translation.resources().clusters().size(), translation.resources().endpoints().size());

    Translation client = translator.translate(snapshot, CLIENT, NOW);
    CheckResult clientCheck = checker.check(client.resources());
    if (!clientCheck.ok() || client.hasErrors()) {
      throw new IllegalStateException(
          "generated config did not translate cleanly for a client proxy: diagnostics "
              + client.diagnostics() + ", check " + clientCheck.problems());
    }
    System.out.printf(Locale.ROOT, "  client proxy: %d listeners, %d virtual hosts, %d clusters%n",
        client.resources().listeners().size(),
        client.resources().routes().stream().mapToInt(r -> r.getVirtualHostsCount()).sum(),
        client.resources().clusters().size());

    report("parse+validate", rounds, () -> assembler.assemble(files, ConfigSnapshot.EMPTY));
    report("translate (1 gateway)", rounds, () -> translator.translate(snapshot, GATEWAY, NOW));
    report("check (PGV + refs)", rounds, () -> checker.check(translation.resources()));
    report("translate (1 client)", rounds, () -> translator.translate(snapshot, CLIENT, NOW));
    report("check client", rounds, () -> checker.check(client.resources()));
    report("total", rounds, () -> {
      ConfigSnapshot s = assembler.assemble(files, ConfigSnapshot.EMPTY);
      return checker.check(translator.translate(s, GATEWAY, NOW).resources());
    });

    runPolicies(services, rounds, files, translation.resources());
  }

  /**
   * Policy at the gateway, each on the same generated services: {@value #POLICIES}
   * AuthorizationPolicies; the rate limit EnvoyFilter alone; the rate limit EnvoyFilter beside one
   * the gate refuses. The patch stages run {@link EnvoyFilterPatcher} on the resources translated
   * without filters ({@code unpatched}), which is what {@code Translator} does after emitting; the
   * gate check stage is the one {@code SnapshotChecker} run the gate makes on the patched result.
   */
  private static void runPolicies(
      int services, int rounds, List<SourceFile> files, EnvoyResources unpatched) {
    SnapshotAssembler assembler = new SnapshotAssembler();
    Translator translator = new Translator();
    SnapshotChecker checker = new SnapshotChecker();
    EnvoyFilterPatcher patcher = new EnvoyFilterPatcher();

    List<SourceFile> policyFiles = new ArrayList<>(files);
    policyFiles.addAll(EgressConfigGenerator.authorizationPolicies(POLICIES, services));
    ConfigSnapshot policies = assembler.assemble(policyFiles, ConfigSnapshot.EMPTY);
    Translation withPolicies = translator.translate(policies, GATEWAY, NOW);
    CheckResult policyCheck = checker.check(withPolicies.resources());
    if (policies.authorizationPolicies().size() != POLICIES
        || !policyCheck.ok()
        || withPolicies.hasErrors()
        || !withPolicies.resources().listeners().toString().contains("envoy.filters.http.rbac")) {
      throw new IllegalStateException(
          "AuthorizationPolicies did not translate cleanly: " + policies.authorizationPolicies().size()
              + " policies, parse " + errors(policies.diagnostics()) + ", diagnostics "
              + errors(withPolicies.diagnostics()) + ", check " + policyCheck.problems());
    }

    List<SourceFile> rateLimitFiles = new ArrayList<>(files);
    rateLimitFiles.add(EgressConfigGenerator.rateLimitFilter());
    ConfigSnapshot rateLimit = assembler.assemble(rateLimitFiles, ConfigSnapshot.EMPTY);
    Translation limited = translator.translate(rateLimit, GATEWAY, NOW);
    CheckResult limitedCheck = checker.check(limited.resources(), MeshSecrets.NAMES);
    if (rateLimit.envoyFilters().size() != 1
        || !limitedCheck.ok()
        || !limited.diagnostics().isEmpty()
        || !hasRateLimit(limited.resources())) {
      throw new IllegalStateException(
          "the rate limit EnvoyFilter did not apply cleanly: parse " + rateLimit.diagnostics()
              + ", diagnostics " + limited.diagnostics() + ", check " + limitedCheck.problems());
    }

    List<SourceFile> badFiles = new ArrayList<>(rateLimitFiles);
    badFiles.add(EgressConfigGenerator.filterAfterRouter());
    ConfigSnapshot bad = assembler.assemble(badFiles, ConfigSnapshot.EMPTY);
    Translation refused = translator.translate(bad, GATEWAY, NOW);
    CheckResult refusedCheck = checker.check(refused.resources(), MeshSecrets.NAMES);
    List<Diagnostic> refusals = refused.diagnostics().stream().filter(Diagnostic::isError).toList();
    if (bad.envoyFilters().size() != 2
        || !refusedCheck.ok()
        || refusals.size() != 1
        || !refusals.get(0).subject().contains(EgressConfigGenerator.BAD_FILTER)
        || !hasRateLimit(refused.resources())) {
      throw new IllegalStateException(
          "expected only " + EgressConfigGenerator.BAD_FILTER + " to be refused: parse "
              + bad.diagnostics() + ", diagnostics " + refused.diagnostics() + ", check "
              + refusedCheck.problems());
    }
    System.out.printf(Locale.ROOT,
        "  policies: %d AuthorizationPolicies (%d warnings); EnvoyFilters: rate limit; rate limit + %s (refused)%n",
        POLICIES, withPolicies.diagnostics().size(), EgressConfigGenerator.BAD_FILTER);

    report("translate + 100 authz", rounds, () -> translator.translate(policies, GATEWAY, NOW));
    report("check + 100 authz", rounds, () -> checker.check(withPolicies.resources()));
    report("translate + rate limit", rounds, () -> translator.translate(rateLimit, GATEWAY, NOW));
    report("  patch + gate", rounds,
        () -> patcher.apply(unpatched, rateLimit.envoyFilters(), GATEWAY));
    report("  gate check", rounds,
        () -> checker.check(limited.resources(), MeshSecrets.NAMES));
    report("translate + bad filter", rounds, () -> translator.translate(bad, GATEWAY, NOW));
    report("  patch + gate (bad)", rounds,
        () -> patcher.apply(unpatched, bad.envoyFilters(), GATEWAY));
  }

  private static boolean hasRateLimit(EnvoyResources resources) {
    return resources.listeners().toString().contains("envoy.filters.http.local_ratelimit");
  }

  private static List<Diagnostic> errors(List<Diagnostic> diagnostics) {
    return diagnostics.stream().filter(Diagnostic::isError).toList();
  }

  private static void report(String stage, int rounds, Supplier<?> work) {
    for (int i = 0; i < 2; i++) {
      work.get();
    }
    List<Long> millis = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      long start = System.nanoTime();
      Object result = work.get();
      millis.add((System.nanoTime() - start) / 1_000_000);
      if (result == null) {
        throw new IllegalStateException(stage + " returned nothing");
      }
    }
    millis.sort(Long::compare);
    System.out.printf(Locale.ROOT, "  %-24s min %6d ms   median %6d ms   max %6d ms%n",
        stage, millis.get(0), millis.get(millis.size() / 2), millis.get(millis.size() - 1));
  }
}
