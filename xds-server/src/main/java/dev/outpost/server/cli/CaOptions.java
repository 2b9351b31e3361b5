package dev.outpost.server.cli;

import dev.outpost.server.ca.CaException;
import dev.outpost.server.ca.CaStore;
import dev.outpost.server.ca.MeshCa;
import dev.outpost.server.ca.PluggedCaDirectory;
import dev.outpost.server.ca.SelfSignedCaDirectory;
import dev.outpost.translator.api.TranslationContext;
import java.nio.file.Path;
import java.time.Instant;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Which mesh CA to use: the options {@code serve} and {@code ca ...} share. */
final class CaOptions {
  /** Where the self-signed root lives unless told otherwise: next to where Outpost runs. */
  static final Path DEFAULT_STATE_DIR = Path.of("outpost-ca");

  @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
  CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--ca-dir",
      paramLabel = "DIR",
      description =
          "A plugged-in mesh CA in Istio's cacerts layout: ca-cert.pem, ca-key.pem, root-cert.pem,"
              + " cert-chain.pem (ca-cert.pem up to the root). Only read, never written.")
  Path caDir;

  @Option(
      names = "--ca-state-dir",
      paramLabel = "DIR",
      description =
          "Without --ca-dir: where the self-signed mesh root is generated on first use and reused afterwards"
              + " (same layout; directory 0700, key 0600). Share it between replicas. Default: ./outpost-ca"
              + " (relative to the working directory).")
  Path stateDir;

  @Option(
      names = "--trust-domain",
      defaultValue = TranslationContext.DEFAULT_TRUST_DOMAIN,
      description = "SPIFFE trust domain of mesh identities (default: ${DEFAULT-VALUE}).")
  String trustDomain;

  CaStore store() {
    if (caDir != null && stateDir != null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--ca-dir and --ca-state-dir exclude each other: a plugged-in CA is never generated or written");
    }
    return caDir != null ? new PluggedCaDirectory(caDir) : new SelfSignedCaDirectory(stateDir != null ? stateDir : DEFAULT_STATE_DIR, trustDomain);
  }

  /** True when the command line names where the CA lives (--ca-dir or --ca-state-dir). */
  boolean storeGiven() {
    return caDir != null || stateDir != null;
  }

  MeshCa load(Instant now) throws CaException {
    return load(store(), now);
  }

  /** The CA from {@code store} (serve --kubernetes: the CA Secret), in --trust-domain. */
  MeshCa load(CaStore store, Instant now) throws CaException {
    try {
      return MeshCa.load(store, trustDomain, now);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--trust-domain: " + e.getMessage());
    }
  }
}
