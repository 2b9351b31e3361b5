package dev.outpost.it.support;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * What a test server saw in one TLS handshake: the SNI the client sent, the protocol, and the
 * client certificate (subject and serial) if one was presented.
 */
public record TlsHandshake(
    Optional<String> sni, String protocol, Optional<String> clientSubject, Optional<String> clientSerial) {

  static TlsHandshake of(SSLSession session) {
    Optional<String> sni = Optional.empty();
    if (session instanceof ExtendedSSLSession extended) {
      for (SNIServerName name : extended.getRequestedServerNames()) {
        if (name instanceof SNIHostName host) {
          sni = Optional.of(host.getAsciiName());
        }
      }
    }
    Optional<X509Certificate> client = Optional.empty();
    try {
      Certificate[] peer = session.getPeerCertificates();
      if (peer.length > 0 && peer[0] instanceof X509Certificate leaf) {
        client = Optional.of(leaf);
      }
    } catch (SSLPeerUnverifiedException noClientCertificate) {
      // Servers that don't ask for one see none.
    }
    return new TlsHandshake(
        sni,
        session.getProtocol(),
        client.map(c -> c.getSubjectX500Principal().getName()),
        client.map(c -> c.getSerialNumber().toString(16)));
  }

  /** One line, e.g. {@code sni=api.example.test; protocol=TLSv1.3; client=CN=x; serial=1f}. */
  public String describe() {
    return "sni=" + sni.orElse("-")
        + "; protocol=" + protocol
        + "; client=" + clientSubject.orElse("-")
        + "; serial=" + clientSerial.orElse("-");
  }
}
