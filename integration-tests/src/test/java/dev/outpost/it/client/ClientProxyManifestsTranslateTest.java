package dev.outpost.it.client;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.outpost.it.e2e.OutpostProcess;
import dev.outpost.it.support.ConfigFiles;
import dev.outpost.it.support.SecretManifest;
import dev.outpost.it.support.TestCa;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ClientProxyE2ETest's manifests through the real jar's {@code translate}, without Envoy: for each
 * proxy of the test (the client proxy in apps, the one in restricted, the gateway) the dump has the
 * listener, route config, cluster and SDS names the Envoy test relies on, and it exits 0 (no
 * errors), so a machine with Envoy finds manifests that are right and this machine checks them.
 */
class ClientProxyManifestsTranslateTest {
  private static final String HOST = "mtls.external.test";
  private static final int GATEWAY_PORT = 8443;
  private static final TestCa CA = TestCa.create("Translate Test CA");

  @Test
  void clientProxyInAppsHasTheHttpProxyListenerAndMeshMtlsToTheGatewayWithTheHostAsSni(@TempDir Path dir) throws Exception {
    writeManifests(dir);

    String dump = translate(dir, "--role", "client", "--namespace", ClientProxyManifests.APPS,
        "--service-account", "sleep", "--labels", "app=sleep", "--node-id", "sleep-1.apps");

    assertTrue(dump.contains("\"name\": \"127.0.0.1_15080\""), "the HTTP proxy listener on the Sidecar's bind: " + dump);
    assertTrue(dump.contains("\"name\": \"http_proxy\""), "its route config: " + dump);
    assertTrue(dump.contains("\"" + HOST + ":80\""), "a virtual host for the declared host's HTTP port: " + dump);
    assertTrue(dump.contains("\"name\": \"outbound|443||" + ClientProxyManifests.GATEWAY_HOST + "\""), dump);
    assertTrue(dump.contains("\"name\": \"default\""), "the proxy's mesh certificate over SDS: " + dump);
    assertTrue(dump.contains("\"name\": \"ROOTCA\""), "the mesh trust bundle over SDS: " + dump);
    assertTrue(dump.contains("\"sni\": \"" + HOST + "\""), "the DestinationRule's sni, which selects the gateway server: " + dump);
    assertTrue(dump.contains("spiffe://cluster.local/ns/istio-system/sa/istio-egressgateway"),
        "the gateway's identity is verified (the ServiceEntry endpoint's service account): " + dump);
    assertTrue(dump.contains("block_all"), "REGISTRY_ONLY: everything else is refused: " + dump);
    assertFalse(dump.contains("kubernetes://" + ClientProxyManifests.CREDENTIAL),
        "the gateway's client certificate is exported to istio-system only: " + dump);
  }

  @Test
  void clientProxyInRestrictedSeesNeitherTheExternalHostNorTheGateway(@TempDir Path dir) throws Exception {
    writeManifests(dir);

    String dump = translate(dir, "--role", "client", "--namespace", ClientProxyManifests.RESTRICTED,
        "--service-account", "sleep", "--labels", "app=sleep", "--node-id", "sleep-1.restricted");

    assertTrue(dump.contains("\"name\": \"127.0.0.1_15080\""), dump);
    assertTrue(dump.contains("block_all"), dump);
    assertFalse(dump.contains("\"" + HOST + ":80\""), "not in the Sidecar's hosts: " + dump);
    assertFalse(dump.contains(ClientProxyManifests.GATEWAY_HOST), "not in the Sidecar's hosts: " + dump);
  }

  @Test
  void gatewayRequiresMeshIdentityAndOriginatesMutualTlsWithTheSecretsClientCertificate(@TempDir Path dir) throws Exception {
    writeManifests(dir);

    String dump = translate(dir, "--role", "gateway", "--namespace", ClientProxyManifests.SYSTEM,
        "--service-account", ClientProxyManifests.GATEWAY_SERVICE_ACCOUNT, "--labels", ClientProxyManifests.GATEWAY_LABELS);

    assertTrue(dump.contains("\"name\": \"0.0.0.0_" + GATEWAY_PORT + "\""), "the Gateway server's listener: " + dump);
    assertTrue(dump.contains("\"require_client_certificate\": true"), "ISTIO_MUTUAL: a client certificate is required: " + dump);
    assertTrue(dump.contains("\"name\": \"default\""), "the gateway's mesh certificate over SDS: " + dump);
    assertTrue(dump.contains("\"name\": \"ROOTCA\""), "client certificates verified against the mesh root: " + dump);
    assertTrue(dump.contains("\"cluster\": \"outbound|443||" + HOST + "\""), "the gateway half of the VirtualService: " + dump);
    assertTrue(dump.contains("\"name\": \"outbound|443||" + HOST + "\""), dump);
    assertTrue(dump.contains("\"kubernetes://" + ClientProxyManifests.CREDENTIAL + "\""), "the client certificate over SDS: " + dump);
    assertTrue(dump.contains("\"kubernetes://" + ClientProxyManifests.CREDENTIAL + "-cacert\""), "the upstream's CA over SDS: " + dump);
    assertTrue(dump.contains("\"sni\": \"" + HOST + "\""), dump);
    assertFalse(dump.contains("\"name\": \"outbound|443||" + ClientProxyManifests.GATEWAY_HOST + "\""),
        "the mesh half is for client proxies, not for the gateway: " + dump);
  }

  private static void writeManifests(Path dir) throws Exception {
    ConfigFiles.replace(dir, "egress.yaml", ClientProxyManifests.egress(
        new ClientProxyManifests.Scenario(HOST, "127.0.0.1", 34443, GATEWAY_PORT, "127.0.0.1")));
    ConfigFiles.replace(dir, "egress-gateway-service.yaml", ClientProxyManifests.egressGatewayService("127.0.0.1", GATEWAY_PORT));
    ConfigFiles.replace(dir, "sidecars.yaml", ClientProxyManifests.sidecars("127.0.0.1"));
    ConfigFiles.replace(dir, "mesh-config.yaml", ClientProxyManifests.meshConfig("REGISTRY_ONLY"));
    ConfigFiles.replace(dir, "secrets.yaml",
        SecretManifest.keyPair(ClientProxyManifests.SYSTEM, ClientProxyManifests.CREDENTIAL, CA.issueClient("egress-gateway-client"))
            .withCa(CA.certificate())
            .yaml());
  }

  /** {@code outpost translate} for one proxy; fails unless it exits 0 (no errors). */
  private static String translate(Path dir, String... proxy) throws Exception {
    String[] args = new String[proxy.length + 3];
    args[0] = "translate";
    args[1] = "--config-dir";
    args[2] = dir.toString();
    System.arraycopy(proxy, 0, args, 3, proxy.length);
    return OutpostProcess.run(args);
  }
}
