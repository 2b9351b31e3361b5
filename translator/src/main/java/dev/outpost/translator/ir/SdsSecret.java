package dev.outpost.translator.ir;

import com.google.protobuf.ByteString;
import dev.outpost.translator.api.MeshSecrets;
import java.util.Objects;

/**
 * A secret that a TLS context fetches over SDS by name. Kubernetes credentials carry their checked
 * PEM content and become Secret resources of the proxy's snapshot; the mesh identity ({@code
 * default}, {@code ROOTCA}) is only a name here, its content comes from the server's mesh CA.
 * {@link #toString()} never prints key material.
 *
 * @param name SDS resource name, e.g. {@code kubernetes://client-cert} or {@code default}
 * @param certificateChain PEM chain, leaf first (KEY_PAIR only, else empty)
 * @param privateKey PEM private key matching the leaf (KEY_PAIR only, else empty)
 * @param caCertificates PEM CA bundle (TRUST_BUNDLE only, else empty)
 */
public record SdsSecret(
    String name,
    Kind kind,
    ByteString certificateChain,
    ByteString privateKey,
    ByteString caCertificates) {

  public enum Kind {
    /** Certificate chain and private key from a Kubernetes Secret. */
    KEY_PAIR,
    /** CA certificates from a Kubernetes Secret, to validate the peer. */
    TRUST_BUNDLE,
    /** The proxy's mesh identity, content supplied per proxy by the server's mesh CA. */
    MESH
  }

  public SdsSecret {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(certificateChain, "certificateChain");
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(caCertificates, "caCertificates");
  }

  public static SdsSecret keyPair(String name, ByteString certificateChain, ByteString privateKey) {
    return new SdsSecret(name, Kind.KEY_PAIR, certificateChain, privateKey, ByteString.EMPTY);
  }

  public static SdsSecret trustBundle(String name, ByteString caCertificates) {
    return new SdsSecret(name, Kind.TRUST_BUNDLE, ByteString.EMPTY, ByteString.EMPTY, caCertificates);
  }

  /** SDS {@code default}: the proxy's own mesh certificate and key. */
  public static SdsSecret meshCertificate() {
    return new SdsSecret(
        MeshSecrets.CERTIFICATE, Kind.MESH, ByteString.EMPTY, ByteString.EMPTY, ByteString.EMPTY);
  }

  /** SDS {@code ROOTCA}: the mesh CA's trust bundle. */
  public static SdsSecret meshTrustBundle() {
    return new SdsSecret(
        MeshSecrets.TRUST_BUNDLE, Kind.MESH, ByteString.EMPTY, ByteString.EMPTY, ByteString.EMPTY);
  }

  @Override
  public String toString() {
    return "SdsSecret[" + name + ", " + kind + ", chain=" + certificateChain.size()
        + " bytes, key=<redacted>, ca=" + caCertificates.size() + " bytes]";
  }
}
