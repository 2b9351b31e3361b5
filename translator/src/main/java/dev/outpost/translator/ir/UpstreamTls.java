package dev.outpost.translator.ir;

import com.google.common.collect.ImmutableList;
import java.util.Objects;
import java.util.Optional;

/**
 * TLS that the gateway originates towards an upstream cluster (DestinationRule {@code tls} modes
 * SIMPLE, MUTUAL and ISTIO_MUTUAL), independent of Envoy's protos.
 *
 * @param sni the server name sent; empty only for a wildcard destination host, where Envoy takes
 *     it from each request's Host header (auto SNI, as Istio does when no {@code sni} is set)
 * @param alpn protocols offered in the handshake, in order (empty: no ALPN)
 * @param clientCertificate the certificate the gateway presents (MUTUAL, ISTIO_MUTUAL)
 * @param trust what the server certificate is verified against; empty only when the user asked
 *     for {@code insecureSkipVerify} (the server is then not verified, and a warning says so)
 * @param subjectAltNames the server certificate must carry one of these SANs (exact match; DNS
 *     names match wildcard certificates); empty means the chain alone is checked, or, with an
 *     automatic SNI, the name taken from the request
 */
public record UpstreamTls(
    Optional<String> sni,
    ImmutableList<String> alpn,
    Optional<ClientCertificate> clientCertificate,
    Optional<TrustAnchor> trust,
    ImmutableList<String> subjectAltNames) {

  /**
   * The system trust store, for SIMPLE origination without a CA of its own: the Debian/Ubuntu
   * bundle path, present in the {@code envoyproxy/envoy} images Outpost's gateways run. Envoy's
   * {@code system_root_certs} is not implemented, so the file is named explicitly.
   */
  public static final String SYSTEM_TRUST_STORE = "/etc/ssl/certs/ca-certificates.crt";

  public UpstreamTls {
    Objects.requireNonNull(sni, "sni");
    Objects.requireNonNull(alpn, "alpn");
    Objects.requireNonNull(clientCertificate, "clientCertificate");
    Objects.requireNonNull(trust, "trust");
    Objects.requireNonNull(subjectAltNames, "subjectAltNames");
  }

  /** Where the client certificate and key come from. */
  public sealed interface ClientCertificate {
    /** Fetched over SDS: a Kubernetes credential or the mesh identity ({@code default}). */
    record Sds(SdsSecret secret) implements ClientCertificate {
      public Sds {
        Objects.requireNonNull(secret, "secret");
      }
    }

    /** PEM files on the gateway's file system, read by Envoy. */
    record Files(String certificateChain, String privateKey) implements ClientCertificate {
      public Files {
        Objects.requireNonNull(certificateChain, "certificateChain");
        Objects.requireNonNull(privateKey, "privateKey");
      }
    }
  }

  /** Where the CA certificates that verify the server come from. */
  public sealed interface TrustAnchor {
    /** Fetched over SDS: {@code kubernetes://NAME-cacert} or the mesh's {@code ROOTCA}. */
    record Sds(SdsSecret secret) implements TrustAnchor {
      public Sds {
        Objects.requireNonNull(secret, "secret");
      }
    }

    /** A PEM bundle on the gateway's file system ({@code caCertificates}, or the system store). */
    record File(String path) implements TrustAnchor {
      public File {
        Objects.requireNonNull(path, "path");
      }
    }
  }

  /** Envoy derives the SNI from each request and verifies the certificate against it. */
  public boolean automaticSni() {
    return sni.isEmpty();
  }

  /** The SDS secrets this context references, for the proxy's snapshot. */
  public ImmutableList<SdsSecret> secrets() {
    ImmutableList.Builder<SdsSecret> out = ImmutableList.builder();
    clientCertificate.ifPresent(
        c -> {
          if (c instanceof ClientCertificate.Sds sds) {
            out.add(sds.secret());
          }
        });
    trust.ifPresent(
        t -> {
          if (t instanceof TrustAnchor.Sds sds) {
            out.add(sds.secret());
          }
        });
    return out.build();
  }
}
