package dev.outpost.it.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * The TLS side of the test servers: accepts on all addresses (so that an Envoy container reaches
 * it through the host), completes each handshake on its own thread, records what it saw, and hands
 * the socket to the server's handler. Handshakes that fail (no client certificate, unknown CA) are
 * recorded as refusals, so a test can show the server really refused rather than never being
 * reached.
 */
final class TlsAcceptor implements AutoCloseable {
  /** Serves one accepted, handshaken connection; the acceptor closes the socket afterwards. */
  interface Handler {
    void serve(SSLSocket socket, TlsHandshake handshake) throws IOException;
  }

  private final SSLServerSocket serverSocket;
  private final ExecutorService connections;
  private final List<TlsHandshake> handshakes = new ArrayList<>();
  private final List<String> refusals = new ArrayList<>();

  private TlsAcceptor(SSLServerSocket serverSocket, String name) {
    this.serverSocket = serverSocket;
    this.connections =
        Executors.newCachedThreadPool(
            runnable -> {
              Thread thread = new Thread(runnable, name + "-connection");
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Listens on an ephemeral port with {@code serverCertificate}; if {@code requiredClientCa} is
   * present, every client must present a certificate it signed, else the handshake fails.
   */
  static TlsAcceptor start(
      String name, IssuedCertificate serverCertificate, Optional<X509Certificate> requiredClientCa, Handler handler)
      throws IOException {
    SSLContext context =
        TlsContexts.create(requiredClientCa.map(List::of).orElse(List.of()), serverCertificate);
    SSLServerSocket socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress("0.0.0.0", 0));
    socket.setNeedClientAuth(requiredClientCa.isPresent());
    TlsAcceptor acceptor = new TlsAcceptor(socket, name);
    Thread accept = new Thread(() -> acceptor.acceptLoop(handler), name + "-accept");
    accept.setDaemon(true);
    accept.start();
    return acceptor;
  }

  private void acceptLoop(Handler handler) {
    while (!serverSocket.isClosed()) {
      SSLSocket socket;
      try {
        socket = (SSLSocket) serverSocket.accept();
      } catch (IOException closed) {
        return;
      }
      connections.execute(() -> serveOne(socket, handler));
    }
  }

  private void serveOne(SSLSocket socket, Handler handler) {
    try (socket) {
      socket.setSoTimeout(15_000);
      TlsHandshake handshake;
      try {
        socket.startHandshake();
        handshake = TlsHandshake.of(socket.getSession());
      } catch (IOException refused) {
        record(refusals, refused.toString());
        return;
      }
      record(handshakes, handshake);
      handler.serve(socket, handshake);
    } catch (SocketException peerWentAway) {
      // A client may close first (e.g. after reading what it needed).
    } catch (IOException e) {
      record(refusals, "after handshake: " + e);
    }
  }

  private <T> void record(List<T> list, T value) {
    synchronized (this) {
      list.add(value);
    }
  }

  int port() {
    return serverSocket.getLocalPort();
  }

  /** Every completed handshake so far, oldest first. */
  synchronized List<TlsHandshake> handshakes() {
    return List.copyOf(handshakes);
  }

  /** Every handshake this server failed, with the JDK's reason, oldest first. */
  synchronized List<String> refusals() {
    return List.copyOf(refusals);
  }

  @Override
  public void close() {
    try {
      serverSocket.close();
    } catch (IOException ignored) {
      // Closing: nothing to do.
    }
    connections.shutdownNow();
  }
}
