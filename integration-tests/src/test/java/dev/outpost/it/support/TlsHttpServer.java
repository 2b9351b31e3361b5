package dev.outpost.it.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLSocket;

/**
 * An "external service" that speaks HTTPS (optionally requiring a client certificate) and says
 * what it saw: every response carries the SNI, TLS protocol, client certificate subject and serial,
 * and the Host header, in {@code x-tls-*} headers and in the body. It answers one request per
 * connection and closes it ({@code connection: close}), so each request a proxy forwards opens a
 * new TLS connection and shows the client certificate in use at that moment (rotation tests
 * depend on this).
 *
 * <p>A small server on {@link javax.net.ssl.SSLServerSocket} rather than the JDK's HttpsServer, so
 * that the handshake (and a refused one) is visible per connection.
 */
public final class TlsHttpServer implements AutoCloseable {
  public static final String SNI_HEADER = "x-tls-sni";
  public static final String PROTOCOL_HEADER = "x-tls-protocol";
  public static final String CLIENT_SUBJECT_HEADER = "x-tls-client-subject";
  public static final String CLIENT_SERIAL_HEADER = "x-tls-client-serial";
  public static final String HOST_HEADER = "x-seen-host";
  public static final String SERVER_HEADER = "x-upstream";

  private static final int MAX_HEAD = 64 * 1024;

  private final TlsAcceptor acceptor;

  private TlsHttpServer(TlsAcceptor acceptor) {
    this.acceptor = acceptor;
  }

  /** HTTPS with {@code certificate}; any client may connect. */
  public static TlsHttpServer tls(String name, IssuedCertificate certificate) throws IOException {
    return new TlsHttpServer(TlsAcceptor.start(name, certificate, Optional.empty(), (s, h) -> answer(name, s, h)));
  }

  /** HTTPS that refuses the handshake unless the client presents a certificate {@code clientCa} signed. */
  public static TlsHttpServer mutualTls(String name, IssuedCertificate certificate, X509Certificate clientCa)
      throws IOException {
    return new TlsHttpServer(
        TlsAcceptor.start(name, certificate, Optional.of(clientCa), (s, h) -> answer(name, s, h)));
  }

  public int port() {
    return acceptor.port();
  }

  /** Completed handshakes, oldest first. */
  public List<TlsHandshake> handshakes() {
    return acceptor.handshakes();
  }

  /** Refused handshakes (e.g. no client certificate), with the JDK's reason, oldest first. */
  public List<String> refusals() {
    return acceptor.refusals();
  }

  private static void answer(String name, SSLSocket socket, TlsHandshake handshake) throws IOException {
    String head = readHead(socket.getInputStream());
    String host = header(head, "host").orElse("-");
    String body = "hello from " + name + "; host=" + host + "; " + handshake.describe();
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    StringBuilder response =
        new StringBuilder("HTTP/1.1 200 OK\r\n")
            .append("content-type: text/plain\r\n")
            .append(SERVER_HEADER).append(": ").append(name).append("\r\n")
            .append(HOST_HEADER).append(": ").append(host).append("\r\n")
            .append(PROTOCOL_HEADER).append(": ").append(handshake.protocol()).append("\r\n");
    handshake.sni().ifPresent(sni -> response.append(SNI_HEADER).append(": ").append(sni).append("\r\n"));
    handshake.clientSubject().ifPresent(s -> response.append(CLIENT_SUBJECT_HEADER).append(": ").append(s).append("\r\n"));
    handshake.clientSerial().ifPresent(s -> response.append(CLIENT_SERIAL_HEADER).append(": ").append(s).append("\r\n"));
    response.append("content-length: ").append(bytes.length).append("\r\n")
        .append("connection: close\r\n\r\n");
    OutputStream out = socket.getOutputStream();
    out.write(response.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.write(bytes);
    out.flush();
  }

  /** The request line and headers; a request body (none expected) is not read. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < end.length) {
      int next = in.read();
      if (next < 0) {
        throw new IOException("connection closed before the end of the request headers");
      }
      head.write(next);
      matched = next == end[matched] ? matched + 1 : (next == '\r' ? 1 : 0);
      if (head.size() > MAX_HEAD) {
        throw new IOException("request headers over " + MAX_HEAD + " bytes");
      }
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  private static Optional<String> header(String head, String name) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
        return Optional.of(line.substring(colon + 1).trim());
      }
    }
    return Optional.empty();
  }

  @Override
  public void close() {
    acceptor.close();
  }
}
