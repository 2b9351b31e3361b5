package dev.outpost.it.e2e;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.Testcontainers;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/** Runs the pinned stock Envoy image through Testcontainers. */
public final class DockerEnvoy implements EnvoyRunner {
  /** Pinned; override with ENVOY_IMAGE to test another release. */
  private static final String DEFAULT_IMAGE = "envoyproxy/envoy:v1.35.0";

  static String image() {
    String override = System.getenv("ENVOY_IMAGE");
    return override == null || override.isBlank() ? DEFAULT_IMAGE : override;
  }

  static Optional<EnvoyRunner> ifDockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable()
          ? Optional.of(new DockerEnvoy())
          : Optional.empty();
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  @Override
  public String hostAddressSeenByEnvoy() {
    return "host.testcontainers.internal";
  }

  @Override
  public String adminBindAddress() {
    // Reached through a published container port, so not loopback-only.
    return "0.0.0.0";
  }

  @Override
  public void allowAccessToHostPorts(int... ports) {
    Testcontainers.exposeHostPorts(ports);
  }

  @Override
  public RunningEnvoy start(Path bootstrapYaml, int listenerPort, int adminPort) {
    LineCollector stdout = new LineCollector("[envoy stdout] ");
    GenericContainer<?> container =
        new GenericContainer<>(DockerImageName.parse(image()))
            .withCopyFileToContainer(MountableFile.forHostPath(bootstrapYaml), "/etc/envoy/outpost.yaml")
            .withCommand("envoy", "-c", "/etc/envoy/outpost.yaml", "--log-level", "info")
            .withExposedPorts(listenerPort, adminPort)
            .withLogConsumer(frame -> {
              if (frame.getType() == org.testcontainers.containers.output.OutputFrame.OutputType.STDOUT) {
                Arrays.stream(frame.getUtf8StringWithoutLineEnding().split("\n")).forEach(stdout::add);
              }
            });
    container.start();
    return new RunningEnvoy() {
      @Override
      public String listenerAddress() {
        return container.getHost() + ":" + container.getMappedPort(listenerPort);
      }

      @Override
      public String adminUrl() {
        return "http://" + container.getHost() + ":" + container.getMappedPort(adminPort);
      }

      @Override
      public List<String> stdoutLines() {
        return stdout.lines();
      }

      @Override
      public void close() {
        container.stop();
      }
    };
  }
}
