package dev.outpost.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.client.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterClientsTest {
  private static final String KUBECONFIG =
      """
      apiVersion: v1
      kind: Config
      current-context: dev
      clusters:
      - name: dev-cluster
        cluster: {server: "https://dev.example:6443"}
      - name: prod-cluster
        cluster: {server: "https://prod.example:6443"}
      users:
      - name: me
        user: {token: not-a-real-token}
      contexts:
      - name: dev
        context: {cluster: dev-cluster, user: me, namespace: dev-ns}
      - name: prod
        context: {cluster: prod-cluster, user: me, namespace: outpost-system}
      """;

  private static Config configFor(Path file, Optional<String> context) throws Exception {
    WatcherOptions options = WatcherOptions.defaults().withKubeconfig(file, context);
    try (var client = ClusterClients.builder(options).build()) {
      return client.getConfiguration();
    }
  }

  @Test
  void aKubeconfigFileWithItsCurrentContextOrANamedOne(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("kubeconfig");
    Files.writeString(file, KUBECONFIG);

    Config current = configFor(file, Optional.empty());
    assertEquals("https://dev.example:6443/", current.getMasterUrl());
    assertEquals("dev-ns", current.getNamespace());

    Config prod = configFor(file, Optional.of("prod"));
    assertEquals("https://prod.example:6443/", prod.getMasterUrl());
    assertEquals("outpost-system", prod.getNamespace(), "the default Secret namespace comes from here");
  }
}
