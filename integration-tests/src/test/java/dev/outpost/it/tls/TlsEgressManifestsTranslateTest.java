package dev.outpost.it.tls;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.outpost.it.e2e.OutpostProcess;
import dev.outpost.it.support.ConfigFiles;
import dev.outpost.it.support.IssuedCertificate;
import dev.outpost.it.support.SecretManifest;
import dev.outpost.it.support.TestCa;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The end-to-end tests' manifests through the real jar's {@code translate}, without Envoy: each
 * translates without errors (exit 0) into the listener, cluster and SDS names the Envoy tests rely
 * on, so a machine with Envoy finds manifests that are right, and this machine checks them.
 */
class TlsEgressManifestsTranslateTest {
  private static final TestCa CA = TestCa.create("Translate Test CA");

  @Test
  void tlsOriginationReferencesTheCaSecret(@TempDir Path dir) throws Exception {
    ConfigFiles.replace(dir, "egress.yaml",
        TlsEgressManifests.origination("tls.upstream.test", "127.0.0.1", 34443, 8080, "SIMPLE", "upstream-ca"));
    ConfigFiles.replace(dir, "secrets.yaml",
        SecretManifest.trustedCa(EgressRig.NAMESPACE, "upstream-ca", CA.certificate()).yaml());

    String dump = translate(dir);

    assertTrue(dump.contains("\"name\": \"outbound|443||tls.upstream.test\""), dump);
    assertTrue(dump.contains("\"kubernetes://upstream-ca-cacert\""), dump);
    assertTrue(dump.contains("\"sni\": \"tls.upstream.test\""), dump);
  }

  @Test
  void mutualOriginationReferencesKeyPairAndCaWithTheKeyRedacted(@TempDir Path dir) throws Exception {
    IssuedCertificate client = CA.issueClient("egress-gateway-client");
    ConfigFiles.replace(dir, "egress.yaml",
        TlsEgressManifests.origination("mtls.upstream.test", "127.0.0.1", 34443, 8080, "MUTUAL", "client-cert"));
    ConfigFiles.replace(dir, "secrets.yaml",
        SecretManifest.keyPair(EgressRig.NAMESPACE, "client-cert", client).withCa(CA.certificate()).yaml());

    String dump = translate(dir);

    assertTrue(dump.contains("\"name\": \"outbound|443||mtls.upstream.test\""), dump);
    assertTrue(dump.contains("\"kubernetes://client-cert\""), dump);
    assertTrue(dump.contains("\"kubernetes://client-cert-cacert\""), dump);
    String keyBase64 = Base64.getEncoder().encodeToString(client.privateKeyPem().getBytes(StandardCharsets.UTF_8));
    assertFalse(dump.contains(keyBase64) || dump.contains("PRIVATE KEY"), "private key redacted in the dump");
  }

  @Test
  void passthroughRoutesBySniWithoutAnyCertificate(@TempDir Path dir) throws Exception {
    ConfigFiles.replace(dir, "egress.yaml",
        TlsEgressManifests.passthrough("passthrough.upstream.test", "127.0.0.1", 34443, 8443));

    String dump = translate(dir);

    assertTrue(dump.contains("\"name\": \"0.0.0.0_8443\""), dump);
    assertTrue(dump.contains("\"passthrough.upstream.test\""), "server_names by SNI: " + dump);
    assertTrue(dump.contains("\"cluster\": \"outbound|443||passthrough.upstream.test\""), "tcp_proxy to the host: " + dump);
    assertFalse(dump.contains("kubernetes://"), "the gateway holds no certificate for passthrough: " + dump);
  }

  @Test
  void istioMutualServerUsesTheMeshIdentity(@TempDir Path dir) throws Exception {
    ConfigFiles.replace(dir, "egress.yaml",
        TlsEgressManifests.istioMutualGateway("plain.upstream.test", "127.0.0.1", 34080, 8443));

    String dump = translate(dir);

    assertTrue(dump.contains("\"name\": \"0.0.0.0_8443\""), dump);
    assertTrue(dump.contains("\"name\": \"default\""), "mesh certificate over SDS: " + dump);
    assertTrue(dump.contains("\"name\": \"ROOTCA\""), "mesh trust bundle over SDS: " + dump);
    assertTrue(dump.contains("\"cluster\": \"outbound|80||plain.upstream.test\""), dump);
  }

  /** {@code outpost translate} for the e2e gateway; fails unless it exits 0 (no errors). */
  private static String translate(Path dir) throws Exception {
    assertTrue(Files.isDirectory(dir));
    return OutpostProcess.run(
        "translate", "--config-dir", dir.toString(),
        "--namespace", EgressRig.NAMESPACE,
        "--service-account", EgressRig.SERVICE_ACCOUNT,
        "--labels", "istio=egressgateway");
  }
}
