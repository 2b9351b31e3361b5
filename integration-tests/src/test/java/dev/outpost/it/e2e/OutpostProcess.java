package dev.outpost.it.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code outpost.jar}, run as a user would run it: as its own JVM process. The jar is
 * built by xds-server earlier in the reactor; surefire passes its path in {@code outpost.jar}.
 */
public final class OutpostProcess implements AutoCloseable {
  private final Process process;
  private final int adminPort;

  private OutpostProcess(Process process, int adminPort) {
    this.process = process;
    this.adminPort = adminPort;
  }

  static Path jar() {
    String path = System.getProperty("outpost.jar");
    if (path == null || !Files.isRegularFile(Path.of(path))) {
      throw new IllegalStateException(
          "outpost.jar not found (system property outpost.jar=" + path
              + "); build it first with: mvn -q package -DskipTests");
    }
    return Path.of(path);
  }

  /** Runs a CLI command to completion and returns its stdout; fails on a non-zero exit. */
  public static String run(String... args) throws IOException, InterruptedException {
    List<String> command = javaCommand();
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("outpost " + String.join(" ", args) + " failed:\n" + out);
    }
    return out;
  }

  /**
   * {@code serve} with its mesh CA state next to the config dir (the test's temporary directory),
   * not in {@code serve}'s default {@code ./outpost-ca}, which would put a CA key into the working
   * directory of the build.
   */
  static OutpostProcess serve(Path configDir, int xdsPort, int adminPort)
      throws IOException, InterruptedException {
    Path caStateDir = configDir.toAbsolutePath().resolveSibling(configDir.getFileName() + "-mesh-ca");
    return serve(configDir, xdsPort, adminPort, List.of("--ca-state-dir", caStateDir.toString()));
  }

  /** {@code serve} with more options, e.g. {@code --ca-state-dir} for tests of the mesh CA. */
  public static OutpostProcess serve(Path configDir, int xdsPort, int adminPort, List<String> moreOptions)
      throws IOException, InterruptedException {
    List<String> command = javaCommand();
    command.addAll(
        List.of(
            "serve",
            "--config-dir", configDir.toString(),
            "--xds-port", Integer.toString(xdsPort),
            "--admin-port", Integer.toString(adminPort)));
    command.addAll(moreOptions);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    new LineCollector("[outpost] ").drain(process.getInputStream());
    OutpostProcess outpost = new OutpostProcess(process, adminPort);
    outpost.awaitReady(Duration.ofSeconds(60));
    return outpost;
  }

  private static List<String> javaCommand() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar().toString());
    return command;
  }

  private void awaitReady(Duration timeout) throws InterruptedException {
    HttpClient client = HttpClient.newHttpClient();
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("outpost serve exited with " + process.exitValue());
      }
      try {
        HttpResponse<String> response =
            client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/readyz")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException notYetListening) {
        // Retry until the deadline.
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("outpost serve not ready after " + timeout);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
