package dev.outpost.server.cli;

import dev.outpost.server.ca.AtomicFiles;
import dev.outpost.server.ca.CaException;
import dev.outpost.server.ca.MeshCa;
import dev.outpost.server.ca.SpiffeId;
import dev.outpost.server.ca.WorkloadCertificate;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Writes a mesh certificate for a client without a proxy (curl in a test, a job). */
@Command(
    name = "issue",
    mixinStandardHelpOptions = true,
    exitCodeOnInvalidInput = 1,
    description = {
      "Issue a mesh certificate spiffe://TRUST_DOMAIN/ns/NS/sa/SA signed by the mesh CA, so that a",
      "client without a proxy can speak mesh mTLS to an ISTIO_MUTUAL gateway server. Writes",
      "DIR/cert.pem (certificate and CA chain), DIR/key.pem (0600) and DIR/root-cert.pem (trust bundle).",
      "Use the same --ca-dir or --ca-state-dir as `outpost serve`."
    })
public final class CaIssueCommand implements Callable<Integer> {
  static final String CERT = "cert.pem";
  static final String KEY = "key.pem";
  static final String ROOT = "root-cert.pem";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--namespace", required = true, description = "Namespace of the identity.")
  String namespace;

  @Option(names = "--service-account", required = true, description = "Service account of the identity.")
  String serviceAccount;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write into (created if missing).")
  Path out;

  @Option(
      names = "--ttl",
      defaultValue = "24h",
      converter = DurationConverter.class,
      description = "Lifetime, e.g. 24h, 90m, 7d (default: ${DEFAULT-VALUE}); never beyond the CA's own.")
  Duration ttl;

  @Mixin CaOptions ca;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    Instant now = Instant.now();
    WorkloadCertificate certificate;
    MeshCa meshCa;
    try {
      meshCa = ca.load(now);
      SpiffeId id;
      try {
        id = meshCa.spiffeId(namespace, serviceAccount);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      certificate = meshCa.issue(id, ttl, now);
    } catch (CaException e) {
      err.println("outpost ca issue: " + e.getMessage());
      return 1;
    }
    try {
      Files.createDirectories(out);
      AtomicFiles.write(out.resolve(KEY), certificate.keyPem(), true);
      AtomicFiles.write(out.resolve(CERT), certificate.fullChainPem(), false);
      AtomicFiles.write(out.resolve(ROOT), meshCa.trustBundlePem(), false);
    } catch (IOException e) {
      err.println("outpost ca issue: cannot write into --out " + out + ": " + e.getMessage());
      return 1;
    }
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.println("issued " + certificate.id().uri() + " (valid until " + certificate.notAfter() + ") from the mesh CA in "
        + meshCa.location());
    stdout.println("  " + out.resolve(CERT) + "  certificate and CA chain");
    stdout.println("  " + out.resolve(KEY) + "  private key (0600)");
    stdout.println("  " + out.resolve(ROOT) + "  trust bundle (verify the gateway with it)");
    stdout.flush();
    return 0;
  }
}
