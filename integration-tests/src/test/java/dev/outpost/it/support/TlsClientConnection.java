package dev.outpost.it.support;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLSocket;

/** One established TLS connection of a {@link TlsClient}: who answered, and a line or HTTP exchange. */
public final class TlsClientConnection implements AutoCloseable {
  private final SSLSocket socket;
  private BufferedReader lines;

  TlsClientConnection(SSLSocket socket) {
    this.socket = socket;
  }

  /** The certificate the server presented. */
  public X509Certificate peerCertificate() throws IOException {
    return (X509Certificate) socket.getSession().getPeerCertificates()[0];
  }

  /** SPIFFE (URI) identities in the server's certificate. */
  public List<String> peerUris() throws IOException {
    return TlsClient.uris(peerCertificate());
  }

  public String protocol() {
    return socket.getSession().getProtocol();
  }

  /** Reads one line; throws if the server closed the connection instead. */
  public String readLine() throws IOException {
    if (lines == null) {
      lines = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }
    String line = lines.readLine();
    if (line == null) {
      throw new IOException("connection closed by the server");
    }
    return line;
  }

  public void writeLine(String line) throws IOException {
    socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
    socket.getOutputStream().flush();
  }

  /**
   * Sends {@code GET path} with {@code Host: host} and {@code connection: close}, and reads the
   * response to the end of the connection. Once per connection.
   */
  public HttpReply get(String host, String path) throws IOException {
    String request = "GET " + path + " HTTP/1.1\r\nhost: " + host + "\r\nuser-agent: outpost-it\r\nconnection: close\r\n\r\n";
    socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
    return HttpReply.parse(readToEnd(socket.getInputStream()));
  }

  private static byte[] readToEnd(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int read;
    try {
      while ((read = in.read(buffer)) >= 0) {
        out.write(buffer, 0, read);
      }
    } catch (javax.net.ssl.SSLException e) {
      // A peer that closes without close_notify after a complete response is fine for a test.
      if (out.size() == 0) {
        throw e;
      }
    }
    return out.toByteArray();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /** An HTTP/1.1 response: status, headers (names lower-cased, last value wins), body. */
  public record HttpReply(int status, Map<String, String> headers, String body) {

    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    static HttpReply parse(byte[] raw) throws IOException {
      String text = new String(raw, StandardCharsets.ISO_8859_1);
      int endOfHead = text.indexOf("\r\n\r\n");
      if (endOfHead < 0) {
        throw new IOException("no complete HTTP response (" + raw.length + " bytes)");
      }
      String[] head = text.substring(0, endOfHead).split("\r\n");
      String[] statusLine = head[0].split(" ", 3);
      if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) {
        throw new IOException("not an HTTP response: " + head[0]);
      }
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 1; i < head.length; i++) {
        int colon = head[i].indexOf(':');
        if (colon > 0) {
          headers.put(head[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), head[i].substring(colon + 1).trim());
        }
      }
      String body = text.substring(endOfHead + 4);
      if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
        body = dechunk(body);
      } else if (headers.containsKey("content-length")) {
        body = body.substring(0, Math.min(body.length(), Integer.parseInt(headers.get("content-length"))));
      }
      return new HttpReply(
          Integer.parseInt(statusLine[1]),
          Map.copyOf(headers),
          new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
    }

    private static String dechunk(String chunked) {
      StringBuilder body = new StringBuilder();
      int at = 0;
      while (at < chunked.length()) {
        int lineEnd = chunked.indexOf("\r\n", at);
        if (lineEnd < 0) {
          break;
        }
        int size = Integer.parseInt(chunked.substring(at, lineEnd).split(";")[0].trim(), 16);
        if (size == 0) {
          break;
        }
        body.append(chunked, lineEnd + 2, Math.min(chunked.length(), lineEnd + 2 + size));
        at = lineEnd + 2 + size + 2;
      }
      return body.toString();
    }
  }
}
