package dev.outpost.it.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs the Envoy binary named by {@code ENVOY_BIN} as a child process on loopback. */
final class LocalEnvoyBinary implements EnvoyRunner {
  private final Path binary;

  private LocalEnvoyBinary(Path binary) {
    this.binary = binary;
  }

  static Optional<EnvoyRunner> fromEnvironment() {
    String value = System.getenv("ENVOY_BIN");
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    Path path = Path.of(value);
    if (!Files.isExecutable(path)) {
      throw new IllegalStateException("ENVOY_BIN=" + value + " is not an executable file");
    }
    return Optional.of(new LocalEnvoyBinary(path));
  }

  @Override
  public String hostAddressSeenByEnvoy() {
    return "127.0.0.1";
  }

  @Override
  public String adminBindAddress() {
    return "127.0.0.1";
  }

  @Override
  public void allowAccessToHostPorts(int... ports) {
    // Same network namespace: nothing to open.
  }

  @Override
  public RunningEnvoy start(Path bootstrapYaml, int listenerPort, int adminPort) throws Exception {
    Process process =
        new ProcessBuilder(
                binary.toString(),
                "-c",
                bootstrapYaml.toString(),
                // A base id of its own, so that it never collides with another Envoy here.
                "--base-id",
                Integer.toString(adminPort),
                "--log-level",
                "info")
            .redirectErrorStream(false)
            .start();
    LineCollector stdout = new LineCollector("[envoy stdout] ");
    stdout.drain(process.getInputStream());
    new LineCollector("[envoy stderr] ").drain(process.getErrorStream());
    return new RunningEnvoy() {
      @Override
      public String listenerAddress() {
        return "127.0.0.1:" + listenerPort;
      }

      @Override
      public String adminUrl() {
        return "http://127.0.0.1:" + adminPort;
      }

      @Override
      public List<String> stdoutLines() {
        return stdout.lines();
      }

      @Override
      public void close() {
        process.destroy();
        try {
          if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          process.destroyForcibly();
        }
      }
    };
  }
}
