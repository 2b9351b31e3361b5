package dev.outpost.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.outpost.server.k8s.PeerAddressCheck;
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
  void thePeerAddressCheckIsEnforcedUnlessTurnedOff() {
    assertEquals(PeerAddressCheck.ENFORCE, kubernetesOptions("serve", "--kubernetes").peerAddressCheck);
    assertEquals(PeerAddressCheck.OFF, kubernetesOptions("serve", "--kubernetes", "--peer-address-check=off").peerAddressCheck);
    assertEquals(PeerAddressCheck.ENFORCE, kubernetesOptions("serve", "--kubernetes", "--peer-address-check", "enforce").peerAddressCheck);

    assertEquals(1, run("serve", "--kubernetes", "--peer-address-check", "warn"));
    assertTrue(err.toString().contains("--peer-address-check"), err.toString());
    assertEquals(1, run("serve", "--peer-address-check=off"));
    assertTrue(err.toString().contains("--peer-address-check needs --kubernetes"), err.toString());
  }

  private static KubernetesOptions kubernetesOptions(String... args) {
    CommandLine.ParseResult parsed = OutpostCli.commandLine().parseArgs(args);
    return ((ServeCommand) parsed.subcommand().commandSpec().userObject()).kubernetes;
  }

  @Test
  void namespacesAreChecked() {
    assertEquals(1, run("serve", "--kubernetes", "--secret-namespaces", "Istio_System"));
    assertTrue(err.toString().contains("--secret-namespaces: \"Istio_System\" is not a namespace name"), err.toString());
  }
}
