package dev.outpost.it.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.PrivateKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A test's own TLS client, for what the JDK HttpClient cannot do: connect to one address (the
 * gateway) while sending another name as SNI and verifying the server certificate for that name
 * (passthrough), or verify a mesh peer by its SPIFFE URI instead of a host name (ISTIO_MUTUAL).
 */
public final class TlsClient {
  private final SSLContext context;
  private final boolean verifyHostName;

  private TlsClient(SSLContext context, boolean verifyHostName) {
    this.context = context;
    this.verifyHostName = verifyHostName;
  }

  /** Trusts only {@code ca}; verifies that the server certificate names the SNI host; no client certificate. */
  public static TlsClient trusting(X509Certificate ca) {
    return new TlsClient(TlsContexts.trusting(List.of(ca)), true);
  }

  /** Trusts only {@code ca}, verifies the host name, presents {@code clientCertificate}. */
  public static TlsClient withClientCertificate(X509Certificate ca, IssuedCertificate clientCertificate) {
    return new TlsClient(TlsContexts.create(List.of(ca), clientCertificate), true);
  }

  /**
   * A mesh client: trusts {@code trustBundle}, presents {@code chain}/{@code key} (may be null for
   * none), and checks the server's identity with {@link TlsClientConnection#peerUris()} instead of
   * a host name, since mesh certificates carry only a SPIFFE URI.
   */
  public static TlsClient mesh(List<X509Certificate> trustBundle, List<X509Certificate> chain, PrivateKey key) {
    return new TlsClient(TlsContexts.create(trustBundle, chain, key), false);
  }

  /**
   * Connects to {@code address} ({@code host:port}) and completes a handshake with {@code sni} as
   * SNI; fails with an {@link IOException} if the handshake fails or the server closes first.
   */
  public TlsClientConnection connect(String address, String sni) throws IOException {
    int colon = address.lastIndexOf(':');
    Socket plain = new Socket();
    plain.connect(new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))), 5_000);
    plain.setSoTimeout(10_000);
    SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, sni, plain.getPort(), true);
    SSLParameters parameters = socket.getSSLParameters();
    // Explicit, because the JDK sends SNI only for names with a dot, and never for IP literals.
    parameters.setServerNames(List.of(new SNIHostName(sni)));
    if (verifyHostName) {
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
    }
    socket.setSSLParameters(parameters);
    try {
      socket.startHandshake();
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    return new TlsClientConnection(socket);
  }

  /** The URIs in a certificate's subject alternative names (SPIFFE IDs). */
  static List<String> uris(X509Certificate certificate) {
    List<String> uris = new ArrayList<>();
    try {
      Collection<List<?>> names = certificate.getSubjectAlternativeNames();
      if (names != null) {
        for (List<?> name : names) {
          if (Integer.valueOf(6).equals(name.get(0))) {
            uris.add((String) name.get(1));
          }
        }
      }
    } catch (CertificateParsingException e) {
      throw new IllegalStateException(e);
    }
    return uris;
  }
}
