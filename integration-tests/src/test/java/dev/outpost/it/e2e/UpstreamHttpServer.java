package dev.outpost.it.e2e;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The "external service": a plaintext HTTP server that answers every request with a fixed body
 * and echoes the Host header it received, so a test can tell the request really went through.
 */
public final class UpstreamHttpServer implements AutoCloseable {
  public static final String BODY_PREFIX = "hello from upstream; host=";

  private final HttpServer server;

  private UpstreamHttpServer(HttpServer server) {
    this.server = server;
  }

  /** Binds on all addresses so that an Envoy container can reach it through the host. */
  public static UpstreamHttpServer start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("0.0.0.0", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] body =
              (BODY_PREFIX + exchange.getRequestHeaders().getFirst("Host"))
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    return new UpstreamHttpServer(server);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
