package dev.outpost.translator.ir;

import com.google.common.collect.ImmutableList;
import java.util.Objects;
import java.util.Optional;

/**
 * TLS a gateway server terminates: the certificate it presents, how it checks client certificates
 * (if at all), and the protocol parameters.
 *
 * @param trust CA to validate client certificates; required when client certificates are required
 *     (MUTUAL, ISTIO_MUTUAL) or optional (OPTIONAL_MUTUAL)
 * @param requireClientCertificate MUTUAL and ISTIO_MUTUAL: a client without a valid certificate is
 *     refused during the handshake
 * @param subjectAltNames a client certificate must carry one of these SANs (exact); empty: any
 * @param verifyCertificateSpki base64 SHA-256 SPKI pins of accepted client certificates
 * @param verifyCertificateHash hex SHA-256 hashes of accepted client certificates
 * @param alpnProtocols offered in the handshake ({@code h2}, {@code http/1.1} for HTTP servers)
 */
public record DownstreamTls(
    CertificateSource certificate,
    Optional<TrustSource> trust,
    boolean requireClientCertificate,
    ImmutableList<String> subjectAltNames,
    ImmutableList<String> verifyCertificateSpki,
    ImmutableList<String> verifyCertificateHash,
    TlsVersion minVersion,
    TlsVersion maxVersion,
    ImmutableList<String> cipherSuites,
    ImmutableList<String> alpnProtocols) {

  public DownstreamTls {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(trust, "trust");
    Objects.requireNonNull(subjectAltNames, "subjectAltNames");
    Objects.requireNonNull(verifyCertificateSpki, "verifyCertificateSpki");
    Objects.requireNonNull(verifyCertificateHash, "verifyCertificateHash");
    Objects.requireNonNull(minVersion, "minVersion");
    Objects.requireNonNull(maxVersion, "maxVersion");
    Objects.requireNonNull(cipherSuites, "cipherSuites");
    Objects.requireNonNull(alpnProtocols, "alpnProtocols");
    if (requireClientCertificate && trust.isEmpty()) {
      throw new IllegalArgumentException("requiring client certificates needs a CA");
    }
  }

  /** TLS protocol versions, Envoy's {@code TlsParameters.TlsProtocol}. */
  public enum TlsVersion {
    AUTO,
    TLS_1_0,
    TLS_1_1,
    TLS_1_2,
    TLS_1_3
  }

  /** Where the server certificate and key come from. */
  public sealed interface CertificateSource {
    /** Over SDS by name: a Kubernetes Secret or the mesh identity {@code default}. */
    record Sds(SdsSecret secret) implements CertificateSource {
      public Sds {
        Objects.requireNonNull(secret, "secret");
      }
    }

    /** Files on the gateway's disk, as {@code serverCertificate}/{@code privateKey} name them. */
    record Files(String certificateChain, String privateKey) implements CertificateSource {
      public Files {
        Objects.requireNonNull(certificateChain, "certificateChain");
        Objects.requireNonNull(privateKey, "privateKey");
      }
    }
  }

  /** Where the CA that validates client certificates comes from. */
  public sealed interface TrustSource {
    /** Over SDS by name: {@code kubernetes://NAME-cacert} or the mesh bundle {@code ROOTCA}. */
    record Sds(SdsSecret secret) implements TrustSource {
      public Sds {
        Objects.requireNonNull(secret, "secret");
      }
    }

    /** A file on the gateway's disk ({@code caCertificates}). */
    record File(String path) implements TrustSource {
      public File {
        Objects.requireNonNull(path, "path");
      }
    }
  }

  /** The SDS secrets this context references, certificate first. */
  public ImmutableList<SdsSecret> secrets() {
    ImmutableList.Builder<SdsSecret> out = ImmutableList.builder();
    if (certificate instanceof CertificateSource.Sds sds) {
      out.add(sds.secret());
    }
    trust
        .filter(TrustSource.Sds.class::isInstance)
        .map(t -> ((TrustSource.Sds) t).secret())
        .ifPresent(out::add);
    return out.build();
  }
}
