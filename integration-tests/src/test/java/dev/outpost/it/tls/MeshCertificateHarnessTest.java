package dev.outpost.it.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.outpost.it.e2e.FreePorts;
import dev.outpost.it.e2e.OutpostProcess;
import dev.outpost.it.support.IssuedCertificate;
import dev.outpost.it.support.Pem;
import dev.outpost.it.support.TlsClient;
import dev.outpost.it.support.TlsClientConnection;
import dev.outpost.it.support.TlsEchoServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mesh half of the ISTIO_MUTUAL end-to-end test, without Envoy: {@code outpost ca issue}
 * against the CA state dir of a running {@code outpost serve} signs with that server's CA, and the
 * test's mesh client, holding what {@code ca issue} wrote, does mutual TLS with a peer that holds
 * another identity from the same CA, verifying it by SPIFFE URI (mesh certificates name no host).
 */
class MeshCertificateHarnessTest {
  private static final String GATEWAY_IDENTITY =
      "spiffe://cluster.local/ns/" + EgressRig.NAMESPACE + "/sa/" + EgressRig.SERVICE_ACCOUNT;

  @Test
  void caIssueSignsWithTheServersCaAndItsFilesMakeAWorkingMeshClient(@TempDir Path work) throws Exception {
    Path configDir = Files.createDirectories(work.resolve("config"));
    Path caState = work.resolve("mesh-ca");
    Path client;
    Path gateway;
    try (OutpostProcess outpost =
        OutpostProcess.serve(configDir, FreePorts.next(), FreePorts.next(), List.of("--ca-state-dir", caState.toString()))) {
      client = issue(caState, work, "apps", "sleep");
      gateway = issue(caState, work, EgressRig.NAMESPACE, EgressRig.SERVICE_ACCOUNT);
    }
    String serverRoot = Files.readString(caState.resolve("root-cert.pem"));
    assertEquals(Pem.certificates(serverRoot), Pem.certificates(Files.readString(client.resolve("root-cert.pem"))),
        "ca issue used the CA the server generated in its state dir");

    List<X509Certificate> trustBundle = Pem.certificates(serverRoot);
    List<X509Certificate> gatewayChain = Pem.certificates(Files.readString(gateway.resolve("cert.pem")));
    IssuedCertificate gatewayIdentity =
        new IssuedCertificate(
            gatewayChain.get(0),
            Pem.privateKey(Files.readString(gateway.resolve("key.pem"))),
            gatewayChain.subList(1, gatewayChain.size()));
    List<X509Certificate> clientChain = Pem.certificates(Files.readString(client.resolve("cert.pem")));
    PrivateKey clientKey = Pem.privateKey(Files.readString(client.resolve("key.pem")));
    assertEquals(List.of("spiffe://cluster.local/ns/apps/sa/sleep"), uris(clientChain.get(0)));

    // A stand-in peer with the gateway's mesh identity that requires a client certificate from the mesh CA.
    try (TlsEchoServer peer =
        TlsEchoServer.startRequiringClientCertificate("mesh-peer", gatewayIdentity, trustBundle.get(trustBundle.size() - 1))) {
      String address = "127.0.0.1:" + peer.port();
      try (TlsClientConnection connection = TlsClient.mesh(trustBundle, clientChain, clientKey).connect(address, "plain.upstream.test")) {
        assertEquals(List.of(GATEWAY_IDENTITY), connection.peerUris());
        assertTrue(
            connection.readLine().endsWith("serial=" + clientChain.get(0).getSerialNumber().toString(16)),
            "the peer saw the issued client certificate");
      }
      assertThrows(IOException.class, () -> {
        try (TlsClientConnection withoutCertificate = TlsClient.mesh(trustBundle, null, null).connect(address, "plain.upstream.test")) {
          withoutCertificate.readLine();
        }
      });
    }
  }

  private static Path issue(Path caState, Path work, String namespace, String serviceAccount) throws Exception {
    Path out = work.resolve("issued-" + namespace + "-" + serviceAccount);
    OutpostProcess.run(
        "ca", "issue", "--ca-state-dir", caState.toString(),
        "--namespace", namespace, "--service-account", serviceAccount, "--out", out.toString());
    return out;
  }

  private static List<String> uris(X509Certificate certificate) throws Exception {
    return certificate.getSubjectAlternativeNames().stream()
        .filter(name -> Integer.valueOf(6).equals(name.get(0)))
        .map(name -> (String) name.get(1))
        .toList();
  }
}
