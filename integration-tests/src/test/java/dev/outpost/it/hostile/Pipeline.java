package dev.outpost.it.hostile;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.outpost.server.source.ConfigDirReader;
import dev.outpost.server.xds.SecretReferences;
import dev.outpost.translator.Translator;
import dev.outpost.translator.api.EnvoyResources;
import dev.outpost.translator.api.Translation;
import dev.outpost.translator.api.TranslationContext;
import dev.outpost.translator.check.CheckResult;
import dev.outpost.translator.check.SnapshotChecker;
import dev.outpost.translator.diag.Diagnostic;
import dev.outpost.translator.model.ConfigSnapshot;
import dev.outpost.translator.parse.SnapshotAssembler;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What the server does with a config, without its network: read the directory (file mode) or take
 * the watcher's snapshot (Kubernetes mode), translate it for each proxy, and check the result as
 * the server's gate does before anything is published. One translator and one checker serve every
 * case (the translator is a pure function).
 */
final class Pipeline {
  private static final Translator TRANSLATOR = new Translator();
  private static final SnapshotChecker CHECKER = new SnapshotChecker();

  private Pipeline() {}

  /** File mode as {@code serve} reads a directory: once, then translated for both proxies. */
  static ImmutableList<RoleOutcome> directory(Path dir) {
    try (ConsoleCapture console = new ConsoleCapture()) {
      ConfigSnapshot snapshot;
      try {
        ConfigDirReader.Result read = new ConfigDirReader().read(dir);
        snapshot = read.addDiagnosticsTo(new SnapshotAssembler().assemble(read.files(), ConfigSnapshot.EMPTY));
      } catch (IOException | RuntimeException | Error e) { // an Error (OutOfMemoryError, ...) is a finding too
        return both(e, console.text());
      }
      return forBothRoles(snapshot, console);
    }
  }

  static ImmutableList<RoleOutcome> forBothRoles(ConfigSnapshot snapshot, ConsoleCapture console) {
    ImmutableList.Builder<RoleOutcome> outcomes = ImmutableList.builder();
    for (GoodConfig.Role role : GoodConfig.Role.values()) {
      try {
        outcomes.add(translate(snapshot, role, console));
      } catch (RuntimeException | Error e) {
        outcomes.add(RoleOutcome.failed(role, e, console.text()));
      }
    }
    return outcomes.build();
  }

  static ImmutableList<RoleOutcome> both(Throwable t, String output) {
    return ImmutableList.of(
        RoleOutcome.failed(GoodConfig.Role.GATEWAY, t, output), RoleOutcome.failed(GoodConfig.Role.CLIENT, t, output));
  }

  private static RoleOutcome translate(ConfigSnapshot snapshot, GoodConfig.Role role, ConsoleCapture console) {
    Translation translation =
        TRANSLATOR.translate(snapshot, role.identity, new TranslationContext(Instant.now(), TranslationContext.DEFAULT_TRUST_DOMAIN));
    EnvoyResources resources = translation.resources();
    // The mesh secrets come from serve's CA, which adds them before its gate: supplied.
    CheckResult check = CHECKER.check(resources, SecretReferences.meshSecretsReferenced(resources));
    TreeSet<Diagnostic> diagnostics = new TreeSet<>(Diagnostic.ORDER);
    diagnostics.addAll(snapshot.diagnostics());
    diagnostics.addAll(translation.diagnostics());
    ImmutableSet.Builder<String> virtualHosts = ImmutableSet.builder();
    resources.routes().forEach(r -> r.getVirtualHostsList().forEach(vh -> virtualHosts.add(r.getName() + "/" + vh.getName())));
    return new RoleOutcome(
        role,
        Optional.empty(),
        diagnostics.stream().map(Diagnostic::toString).collect(ImmutableList.toImmutableList()),
        resources.listeners().stream().map(l -> l.getName()).collect(ImmutableSet.toImmutableSet()),
        virtualHosts.build(),
        resources.clusters().stream().map(c -> c.getName()).collect(ImmutableSet.toImmutableSet()),
        check.problems(),
        console.text(),
        Optional.empty());
  }
}
