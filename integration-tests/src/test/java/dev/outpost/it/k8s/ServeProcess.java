package dev.outpost.it.k8s;

import dev.outpost.server.cli.OutpostCli;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One {@code outpost serve --kubernetes} run through the real command line, in-process on its own
 * thread, against the mock API server: its ports, its admin endpoints, and a stop that waits for
 * the command to return.
 */
final class ServeProcess implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  final int xdsPort;
  final int adminPort;
  private final Thread thread;
  private final AtomicInteger exit = new AtomicInteger(-1);

  private ServeProcess(List<String> args, int xdsPort, int adminPort) {
    this.xdsPort = xdsPort;
    this.adminPort = adminPort;
    this.thread = new Thread(() -> exit.set(OutpostCli.commandLine().execute(args.toArray(String[]::new))), "serve");
  }

  /**
   * Starts {@code serve --kubernetes --kubeconfig KUBECONFIG --context mock EXTRA... --bind
   * 127.0.0.1} with free xDS and admin ports.
   */
  static ServeProcess start(Path kubeconfig, String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("serve", "--kubernetes", "--kubeconfig", kubeconfig.toString(), "--context", "mock"));
    args.addAll(List.of(extra));
    int xds = freePort();
    int admin = freePort();
    args.addAll(List.of("--bind", "127.0.0.1", "--xds-port", String.valueOf(xds), "--admin-port", String.valueOf(admin)));
    ServeProcess process = new ServeProcess(args, xds, admin);
    process.thread.start();
    return process;
  }

  /**
   * A kubeconfig for the mock API server whose context {@code mock} has namespace {@code
   * outpost-system}; its current context is another, so {@code --context} must be honoured.
   */
  static Path kubeconfig(Path dir, KubernetesClient client) throws Exception {
    Path file = dir.resolve("kubeconfig");
    Files.writeString(file, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mock
          cluster: {server: "%s", insecure-skip-tls-verify: true}
        users:
        - name: outpost
          user: {token: not-checked-by-the-mock}
        contexts:
        - name: mock
          context: {cluster: mock, user: outpost, namespace: outpost-system}
        current-context: other
        """.formatted(client.getConfiguration().getMasterUrl()));
    return file;
  }

  /** {@code /readyz} once it answers 200, or its last reply after 20 s. */
  String awaitReady() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    String reply = "";
    while (System.nanoTime() < deadline) {
      try {
        reply = get("/readyz");
        if (reply.startsWith("200")) {
          return reply;
        }
      } catch (java.io.IOException e) {
        reply = e.toString(); // not listening yet
      }
      Thread.sleep(100);
    }
    return reply;
  }

  /** "STATUS BODY" of an admin endpoint. */
  String get(String path) throws Exception {
    HttpResponse<String> response = HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path)).build(), HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body();
  }

  boolean isLeader() throws Exception {
    return get("/metrics").contains("\noutpost_leader 1\n");
  }

  /** Interrupts the command (as SIGTERM's shutdown would) and waits for it; its exit code. */
  int stop() throws InterruptedException {
    thread.interrupt();
    thread.join(10_000);
    return exit.get();
  }

  @Override
  public void close() throws InterruptedException {
    if (thread.isAlive()) {
      stop();
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
