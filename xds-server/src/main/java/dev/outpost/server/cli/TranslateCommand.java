package dev.outpost.server.cli;

import dev.outpost.server.dump.ConfigDumps;
import dev.outpost.server.source.ConfigDirReader;
import dev.outpost.server.xds.SecretReferences;
import dev.outpost.server.xds.XdsSnapshot;
import dev.outpost.translator.api.EnvoyResources;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import dev.outpost.translator.Translator;
import dev.outpost.translator.api.ProxyIdentity;
import dev.outpost.translator.api.Translation;
import dev.outpost.translator.api.TranslationContext;
import java.time.Instant;
import dev.outpost.translator.check.CheckResult;
import dev.outpost.translator.check.SnapshotChecker;
import dev.outpost.translator.diag.Diagnostic;
import dev.outpost.translator.model.ConfigSnapshot;
import dev.outpost.translator.parse.SnapshotAssembler;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Prints what one proxy would receive, as Envoy's admin config dump; diagnostics on stderr. */
@Command(
    name = "translate",
    mixinStandardHelpOptions = true,
    exitCodeOnInvalidInput = 1,
    description = {
      "Print what one proxy would receive from a directory of Istio egress YAML.",
      "The output is Envoy's admin /config_dump JSON (readable by istioctl proxy-config ... --file);",
      "diagnostics go to stderr, one per line."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:no errors",
      "2:some resources were rejected (the rest is still printed)",
      "1:usage or I/O error"
    })
public final class TranslateCommand implements Callable<Integer> {
  static final int OK = 0;
  static final int REJECTED = 2;
  static final int FAILED = 1;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--config-dir", required = true, description = "Directory of *.yaml, *.yml, *.json (read recursively).")
  Path configDir;

  @Mixin ProxyOptions proxy;

  @Option(
      names = "--trust-domain",
      defaultValue = TranslationContext.DEFAULT_TRUST_DOMAIN,
      description = "SPIFFE trust domain of mesh identities, as given to serve (default: ${DEFAULT-VALUE}).")
  String trustDomain;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ProxyIdentity identity = proxy.identity();
    ConfigDirReader.Result read;
    try {
      read = new ConfigDirReader().read(configDir);
    } catch (IOException e) {
      err.println("outpost translate: cannot read --config-dir " + configDir + ": " + e.getMessage());
      return FAILED;
    }
    ConfigSnapshot snapshot = read.addDiagnosticsTo(new SnapshotAssembler().assemble(read.files(), ConfigSnapshot.EMPTY));
    TranslationContext context;
    try {
      context = new TranslationContext(Instant.now(), trustDomain);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--trust-domain: " + e.getMessage());
    }
    Translation translation = new Translator().translate(snapshot, identity, context);
    CheckResult check = new SnapshotChecker().check(withMeshPlaceholders(translation.resources()));

    TreeSet<Diagnostic> diagnostics = new TreeSet<>(Diagnostic.ORDER);
    diagnostics.addAll(snapshot.diagnostics());
    diagnostics.addAll(translation.diagnostics());
    diagnostics.forEach(d -> err.println(d));
    check.problems().forEach(p -> err.println("ERROR snapshot check: " + p + " (Envoy would reject this config)"));

    out.println(ConfigDumps.standard().json(XdsSnapshot.of(translation.resources())));
    out.flush();
    err.flush();
    boolean errors = diagnostics.stream().anyMatch(Diagnostic::isError) || !check.ok();
    return errors ? REJECTED : OK;
  }

  /**
   * The mesh secrets ({@code default}, {@code ROOTCA}) are per proxy and come from {@code serve}'s
   * CA, which adds them before its gate; translate has no CA, so for the check (not the printed
   * dump) they count as supplied: empty stand-ins under their names. Everything else is checked
   * as strictly as in the server.
   */
  static EnvoyResources withMeshPlaceholders(EnvoyResources resources) {
    var names = SecretReferences.meshSecretsReferenced(resources);
    if (names.isEmpty()) {
      return resources;
    }
    java.util.TreeMap<String, Secret> secrets = new java.util.TreeMap<>();
    resources.secrets().forEach(secret -> secrets.put(secret.getName(), secret));
    names.forEach(name -> secrets.putIfAbsent(name, Secret.newBuilder().setName(name).build()));
    return new EnvoyResources(resources.listeners(), resources.routes(), resources.clusters(), resources.endpoints(),
        com.google.common.collect.ImmutableList.copyOf(secrets.values()));
  }
}
