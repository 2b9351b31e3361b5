package dev.outpost.it.e2e;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How an end-to-end test runs stock Envoy: a local binary named by {@code ENVOY_BIN}, or the
 * pinned {@code envoyproxy/envoy} image through Testcontainers. Tests never fake Envoy: where
 * neither exists they are skipped with {@link #unavailableReason()}.
 */
public interface EnvoyRunner {

  /** Address under which Envoy reaches servers that the test runs on this machine. */
  String hostAddressSeenByEnvoy();

  /** Where Envoy's admin must listen so that the test can reach it. */
  String adminBindAddress();

  /** Called before {@link #start} with the ports on this machine Envoy must reach. */
  void allowAccessToHostPorts(int... ports);

  /**
   * Starts Envoy with the given bootstrap; {@code listenerPort} is the port Envoy listens on for
   * gateway traffic (inside the container, for Docker).
   */
  RunningEnvoy start(Path bootstrapYaml, int listenerPort, int adminPort) throws Exception;

  /** The first runner that can run here, or empty. */
  static Optional<EnvoyRunner> detect() {
    Optional<EnvoyRunner> local = LocalEnvoyBinary.fromEnvironment();
    if (local.isPresent()) {
      return local;
    }
    return DockerEnvoy.ifDockerAvailable();
  }

  /**
   * The runner for an end-to-end test, or the test is skipped (JUnit assumption) with a message,
   * printed too so that it shows in the build log and not only in the surefire report.
   */
  static EnvoyRunner requireOrSkip() {
    Optional<EnvoyRunner> runner = detect();
    if (runner.isEmpty()) {
      System.err.println("[SKIPPED] " + unavailableReason());
      org.junit.jupiter.api.Assumptions.abort(unavailableReason());
    }
    return runner.get();
  }

  static String unavailableReason() {
    return "Envoy end-to-end test skipped: no Envoy to run here. Set ENVOY_BIN to a local envoy"
        + " binary, or run where a Docker engine is reachable (Testcontainers pulls "
        + DockerEnvoy.image()
        + "). This machine has neither, so the test did not run; it is not faked.";
  }
}
