package dev.outpost.it.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLSocket;

/**
 * A TLS (not HTTP) service for passthrough tests: right after the handshake it sends one identity
 * line, {@code NAME sni=...; protocol=...; client=...; serial=...}, then echoes every line it
 * receives as {@code echo: LINE}. A client that reads the identity line has proved that its own TLS
 * session ended at this server (it verified this server's certificate) and which SNI arrived.
 */
public final class TlsEchoServer implements AutoCloseable {
  public static final String ECHO_PREFIX = "echo: ";

  private final TlsAcceptor acceptor;

  private TlsEchoServer(TlsAcceptor acceptor) {
    this.acceptor = acceptor;
  }

  public static TlsEchoServer start(String name, IssuedCertificate certificate) throws IOException {
    return new TlsEchoServer(TlsAcceptor.start(name, certificate, Optional.empty(), (s, h) -> echo(name, s, h)));
  }

  public static TlsEchoServer startRequiringClientCertificate(
      String name, IssuedCertificate certificate, X509Certificate clientCa) throws IOException {
    return new TlsEchoServer(TlsAcceptor.start(name, certificate, Optional.of(clientCa), (s, h) -> echo(name, s, h)));
  }

  /** The identity line this server sends for {@code handshake}. */
  public static String identityLine(String name, TlsHandshake handshake) {
    return name + " " + handshake.describe();
  }

  private static void echo(String name, SSLSocket socket, TlsHandshake handshake) throws IOException {
    Writer out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8);
    out.write(identityLine(name, handshake) + "\n");
    out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      out.write(ECHO_PREFIX + line + "\n");
      out.flush();
    }
  }

  public int port() {
    return acceptor.port();
  }

  public List<TlsHandshake> handshakes() {
    return acceptor.handshakes();
  }

  public List<String> refusals() {
    return acceptor.refusals();
  }

  @Override
  public void close() {
    acceptor.close();
  }
}
