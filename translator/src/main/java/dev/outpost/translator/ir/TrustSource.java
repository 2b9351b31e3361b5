package dev.outpost.translator.ir;

import java.util.Objects;
import java.util.Optional;

/**
 * Where the CA certificates that verify the peer come from, for either side of the gateway: client
 * certificates on a terminating server, the server certificate in TLS origination.
 */
public sealed interface TrustSource {

  /** The SDS secret to fetch, or empty when Envoy reads a file itself. */
  Optional<SdsSecret> sdsSecret();

  /** Over SDS by name: {@code kubernetes://NAME-cacert} or the mesh bundle {@code ROOTCA}. */
  record Sds(SdsSecret secret) implements TrustSource {
    public Sds {
      Objects.requireNonNull(secret, "secret");
    }

    @Override
    public Optional<SdsSecret> sdsSecret() {
      return Optional.of(secret);
    }
  }

  /** A PEM bundle on the gateway's disk ({@code caCertificates}, or the system store). */
  record File(String path) implements TrustSource {
    public File {
      Objects.requireNonNull(path, "path");
    }

    @Override
    public Optional<SdsSecret> sdsSecret() {
      return Optional.empty();
    }
  }
}
