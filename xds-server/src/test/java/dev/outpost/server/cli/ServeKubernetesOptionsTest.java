package dev.outpost.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Usage errors of serve's Kubernetes options: reported before anything connects or listens. */
class ServeKubernetesOptionsTest {
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = OutpostCli.commandLine();
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  @Test
  void kubernetesAndConfigDirExcludeEachOther() {
    assertEquals(1, run("serve", "--kubernetes", "--config-dir", "/tmp"));
    assertTrue(err.toString().contains("--kubernetes and --config-dir exclude each other"), err.toString());
  }

  @Test
  void kubernetesOptionsNeedKubernetes() {
    assertEquals(1, run("serve", "--watch-namespaces", "default"));
    assertTrue(err.toString().contains("--watch-namespaces needs --kubernetes"), err.toString());
  }

  @Test
  void aGatewaySelectorMustBeKeyValuePairs() {
    assertEquals(1, run("serve", "--kubernetes", "--gateway-selector", "outpost.dev/gateway"));
    assertTrue(err.toString().contains("--gateway-selector: \"outpost.dev/gateway\" is not KEY=VALUE"), err.toString());
  }

  @Test
  void namespacesAreChecked() {
    assertEquals(1, run("serve", "--kubernetes", "--secret-namespaces", "Istio_System"));
    assertTrue(err.toString().contains("--secret-namespaces: \"Istio_System\" is not a namespace name"), err.toString());
  }
}
