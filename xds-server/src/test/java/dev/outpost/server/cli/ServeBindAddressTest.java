package dev.outpost.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Where {@code serve} listens by default: the admin port (every proxy and its config under /debug)
 * on loopback only, the xDS port on all interfaces (proxies connect from other pods and hosts).
 */
class ServeBindAddressTest {
  @TempDir Path caState;

  @Test
  void theAdminPortListensOnLoopbackAndTheXdsPortEverywhereByDefault() throws Exception {
    Optional<InetAddress> external = nonLoopbackAddress();
    Assumptions.assumeTrue(external.isPresent(), "this host has no non-loopback IPv4 address to try the ports on");
    int xdsPort = freePort();
    int adminPort = freePort();
    AtomicInteger exit = new AtomicInteger(-1);
    StringWriter err = new StringWriter();
    Thread serve = new Thread(() -> {
      CommandLine cli = OutpostCli.commandLine();
      cli.setErr(new PrintWriter(err, true));
      exit.set(cli.execute("serve", "--xds-port", String.valueOf(xdsPort), "--admin-port", String.valueOf(adminPort),
          "--ca-state-dir", caState.toString()));
    }, "serve");
    serve.start();
    try {
      awaitHealthy(adminPort, serve, err);
      assertThrows(ConnectException.class, () -> connect(external.get(), adminPort),
          "the admin port must not be reachable on " + external.get().getHostAddress() + " without --admin-address");
      connect(external.get(), xdsPort); // proxies from other hosts reach ADS
    } finally {
      serve.interrupt();
      serve.join(10_000);
    }
    assertEquals(0, exit.get(), err.toString());
  }

  @Test
  void theAddressesAreFlags() {
    ServeCommand defaults = parse("serve");
    assertEquals("127.0.0.1", defaults.adminBind);
    assertEquals("0.0.0.0", defaults.bind);
    ServeCommand set = parse("serve", "--admin-address", "0.0.0.0", "--xds-address", "127.0.0.1");
    assertEquals("0.0.0.0", set.adminBind);
    assertEquals("127.0.0.1", set.bind);
    assertEquals("10.0.0.1", parse("serve", "--bind", "10.0.0.1").bind, "--bind stays, for the xDS port");
  }

  private static ServeCommand parse(String... args) {
    return (ServeCommand) OutpostCli.commandLine().parseArgs(args).subcommand().commandSpec().userObject();
  }

  private static void awaitHealthy(int adminPort, Thread serve, StringWriter err) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    Instant deadline = Instant.now().plusSeconds(60);
    while (Instant.now().isBefore(deadline)) {
      assertTrue(serve.isAlive(), "serve exited: " + err);
      try {
        HttpResponse<String> health = http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/healthz")).timeout(Duration.ofSeconds(3)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (health.statusCode() == 200) {
          return;
        }
      } catch (IOException notYetListening) {
        // retry
      }
      Thread.sleep(100);
    }
    throw new AssertionError("serve's admin port never answered on 127.0.0.1: " + err);
  }

  private static void connect(InetAddress address, int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, port), 3000);
    }
  }

  private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (InetAddress address : Collections.list(nic.getInetAddresses())) {
        if (address instanceof Inet4Address && !address.isLoopbackAddress() && !address.isLinkLocalAddress()) {
          return Optional.of(address);
        }
      }
    }
    return Optional.empty();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
