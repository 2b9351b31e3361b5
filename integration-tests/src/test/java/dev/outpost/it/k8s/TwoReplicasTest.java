package dev.outpost.it.k8s;

import static dev.outpost.it.k8s.MockIstio.apply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/'s two control plane replicas, as two real {@code serve --kubernetes --leader-elect}
 * commands against one mock API server: both serve, one holds the Lease and writes status, and
 * when it stops the other takes over and reports what changed since.
 */
@EnableKubernetesMockClient(crud = true)
class TwoReplicasTest {
  KubernetesMockServer server;
  KubernetesClient client;

  private static final String INVALID_ENTRY =
      """
      apiVersion: networking.istio.io/v1
      kind: ServiceEntry
      metadata: {name: api, namespace: istio-system}
      spec:
        ports: [{number: 443, name: tls, protocol: TLS}]
        resolution: DNS
      """;

  @Test
  void oneReplicaWritesStatusAndTheOtherTakesOverWhenItStops(@TempDir Path dir) throws Exception {
    MockIstio.serve(server);
    apply(client, INVALID_ENTRY);
    Path kubeconfig = ServeProcess.kubeconfig(dir, client);
    try (ServeProcess first = replica(kubeconfig, "outpost-0");
        ServeProcess second = replica(kubeconfig, "outpost-1")) {
      assertEquals("200 ready\n", first.awaitReady(), "a follower serves xDS and is ready too");
      assertEquals("200 ready\n", second.awaitReady());

      GenericKubernetesResource invalid = MockIstio.awaitStatus(client, "ServiceEntry", "api");
      assertEquals("False", MockIstio.condition(invalid, "Accepted").get("status"), invalid.toString());
      String holder = awaitHolder(null);
      ServeProcess leader = holder.equals("outpost-0") ? first : second;
      ServeProcess follower = leader == first ? second : first;
      assertTrue(leader.isLeader(), "the Lease holder reports itself leader");
      assertTrue(!follower.isLeader(), "the other replica does not");

      assertEquals(0, leader.stop());
      String next = awaitHolder(holder);
      assertNotEquals(holder, next, "the follower took the Lease");
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!follower.isLeader() && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertTrue(follower.isLeader(), "the remaining replica leads");

      // Fixed after the first leader left: only the new leader can have written this.
      apply(client, INVALID_ENTRY.replace("spec:\n", "spec:\n  hosts: [api.example.com]\n"));
      GenericKubernetesResource fixed = MockIstio.awaitCondition(client, "ServiceEntry", "api", "Accepted", "True");
      assertEquals("True", MockIstio.condition(fixed, "Accepted").get("status"), fixed.toString());
    }
  }

  private static ServeProcess replica(Path kubeconfig, String podName) throws Exception {
    return ServeProcess.start(kubeconfig,
        "--system-namespace", "istio-system", "--ca-secret", "mesh-root", "--leader-elect", "--pod-name", podName);
  }

  /** The Lease holder once there is one other than {@code not} (or whatever it is after 40 s). */
  private String awaitHolder(String not) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
    String holder = null;
    while (System.nanoTime() < deadline) {
      var lease = client.leases().inNamespace("istio-system").withName("outpost-leader").get();
      holder = lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
      if (holder != null && !holder.isEmpty() && !holder.equals(not)) {
        return holder;
      }
      Thread.sleep(200);
    }
    return holder;
  }
}
