package dev.outpost.translator.ir;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a TLS certificate and its private key come from, for either side of the gateway: the
 * certificate a terminating server presents, or the client certificate of TLS origination.
 */
public sealed interface CertificateSource {

  /** The SDS secret to fetch, or empty when Envoy reads files itself. */
  Optional<SdsSecret> sdsSecret();

  /** Over SDS by name: a Kubernetes credential or the mesh identity {@code default}. */
  record Sds(SdsSecret secret) implements CertificateSource {
    public Sds {
      Objects.requireNonNull(secret, "secret");
    }

    @Override
    public Optional<SdsSecret> sdsSecret() {
      return Optional.of(secret);
    }
  }

  /**
   * PEM files on the gateway's disk, read by Envoy ({@code serverCertificate}/{@code
   * clientCertificate} and {@code privateKey}).
   */
  record Files(String certificateChain, String privateKey) implements CertificateSource {
    public Files {
      Objects.requireNonNull(certificateChain, "certificateChain");
      Objects.requireNonNull(privateKey, "privateKey");
    }

    @Override
    public Optional<SdsSecret> sdsSecret() {
      return Optional.empty();
    }
  }
}
