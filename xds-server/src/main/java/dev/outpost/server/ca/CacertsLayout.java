package dev.outpost.server.ca;

/** File names of Istio's plugged-in CA ({@code cacerts}), which Outpost reads and writes. */
public final class CacertsLayout {
  /** The certificate that signs workload certificates (an intermediate, or the root itself). */
  public static final String CA_CERT = "ca-cert.pem";
  /** Its private key. */
  public static final String CA_KEY = "ca-key.pem";
  /** The chain served after every leaf: ca-cert.pem up to the root. */
  public static final String CERT_CHAIN = "cert-chain.pem";
  /** The trust bundle: the root(s) that peers verify mesh certificates with. */
  public static final String ROOT_CERT = "root-cert.pem";

  private CacertsLayout() {}
}
