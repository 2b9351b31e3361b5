package dev.outpost.it.support;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/** JDK {@link SSLContext}s from test credentials, without files or global state. */
public final class TlsContexts {
  private static final char[] PASSWORD = "in-memory".toCharArray();

  private TlsContexts() {}

  /** Trusts only {@code trusted}; presents {@code own} when asked for a certificate (if given). */
  public static SSLContext create(List<X509Certificate> trusted, IssuedCertificate own) {
    return create(trusted, own == null ? null : own.chain(), own == null ? null : own.privateKey());
  }

  public static SSLContext trusting(List<X509Certificate> trusted) {
    return create(trusted, null, null);
  }

  public static SSLContext create(List<X509Certificate> trusted, List<X509Certificate> ownChain, PrivateKey ownKey) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(ownChain == null ? null : keyManagers(ownChain, ownKey), trustManagers(trusted), null);
      return context;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot build SSLContext", e);
    }
  }

  private static KeyManager[] keyManagers(List<X509Certificate> chain, PrivateKey key)
      throws GeneralSecurityException, java.io.IOException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("own", key, PASSWORD, chain.toArray(X509Certificate[]::new));
    KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(store, PASSWORD);
    return factory.getKeyManagers();
  }

  private static TrustManager[] trustManagers(List<X509Certificate> trusted)
      throws GeneralSecurityException, java.io.IOException {
    if (trusted.isEmpty()) {
      // Trust nothing (a server that asks for no client certificate): never the JDK's defaults.
      return new TrustManager[] {new TrustNothing()};
    }
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    for (int i = 0; i < trusted.size(); i++) {
      store.setCertificateEntry("trusted-" + i, trusted.get(i));
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    return factory.getTrustManagers();
  }

  private static final class TrustNothing implements javax.net.ssl.X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
      throw new java.security.cert.CertificateException("this endpoint trusts no certificate authority");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
      throw new java.security.cert.CertificateException("this endpoint trusts no certificate authority");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
