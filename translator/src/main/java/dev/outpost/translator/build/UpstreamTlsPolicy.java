package dev.outpost.translator.build;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.ir.CertificateSource;
import dev.outpost.translator.ir.SdsSecret;
import dev.outpost.translator.ir.TrustSource;
import dev.outpost.translator.ir.UpstreamCluster;
import dev.outpost.translator.ir.UpstreamTls;
import dev.outpost.translator.model.ClientTlsSettings.Mode;
import dev.outpost.translator.model.ClientTlsSettings;
import dev.outpost.translator.model.Protocol;
import dev.outpost.translator.model.ServiceEntry;
import dev.outpost.translator.model.WorkloadEntry;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The DestinationRule {@code tls} that applies to a cluster (after {@code portLevelSettings} and
 * subset overrides, see {@link EffectivePolicy}) → the TLS the gateway originates, as Istio builds
 * it: SIMPLE and MUTUAL with credentials from Secrets (SDS) or files, ISTIO_MUTUAL with the
 * proxy's mesh identity.
 *
 * <p>Fail closed: when the TLS a cluster asks for cannot be set up (a credential that is missing
 * or unusable, MUTUAL without a client certificate), the cluster is {@linkplain Outcome#usable()
 * unusable}: it is not emitted, and routes to it go to the black hole. It never falls back to
 * plaintext. Each cluster is decided once; the route converter and the cluster builder ask the same
 * instance.
 */
final class UpstreamTlsPolicy {
  /** Istio's in-mesh ALPN without its metadata-exchange protocol, which Outpost's proxies lack. */
  static final ImmutableList<String> MESH_ALPN = ImmutableList.of("istio");

  static final ImmutableList<String> MESH_ALPN_H2 = ImmutableList.of("istio", "h2");
  static final ImmutableList<String> H2_ALPN = ImmutableList.of("h2");

  /**
   * What a cluster gets: plaintext ({@code tls} empty and usable), TLS origination, or nothing at
   * all because its TLS cannot be set up (an error diagnostic says why).
   */
  record Outcome(Optional<UpstreamTls> tls, boolean usable) {
    static final Outcome PLAINTEXT = new Outcome(Optional.empty(), true);
    static final Outcome UNUSABLE = new Outcome(Optional.empty(), false);

    static Outcome originate(UpstreamTls tls) {
      return new Outcome(Optional.of(tls), true);
    }
  }

  private final CredentialResolver credentials;
  private final DiagnosticSink diagnostics;
  private final String trustDomain;
  private final MeshGateways meshGateways;
  private final Map<String, Outcome> decided = new HashMap<>();

  UpstreamTlsPolicy(CredentialResolver credentials, DiagnosticSink diagnostics, String trustDomain) {
    this(credentials, diagnostics, trustDomain, MeshGateways.NONE);
  }

  /**
   * @param meshGateways destinations that get ISTIO_MUTUAL when no DestinationRule sets TLS: a
   *     client proxy's gateways; {@link MeshGateways#NONE} on gateways
   */
  UpstreamTlsPolicy(
      CredentialResolver credentials,
      DiagnosticSink diagnostics,
      String trustDomain,
      MeshGateways meshGateways) {
    this.credentials = credentials;
    this.diagnostics = diagnostics;
    this.trustDomain = trustDomain;
    this.meshGateways = meshGateways;
  }

  Outcome resolve(ClusterRef ref) {
    Outcome known = decided.get(ref.name());
    if (known == null) {
      known = decide(ref);
      decided.put(ref.name(), known);
    }
    return known;
  }

  /**
   * The classic mistake of the egress guides: a route sends plain HTTP to a ServiceEntry port
   * declared HTTPS or TLS, and no DestinationRule originates TLS, so the upstream gets plaintext on
   * its TLS port. An explicit {@code tls.mode: DISABLE} is taken as intended.
   */
  void warnIfPlaintextToTlsPort(ClusterRef ref, String subject, String field) {
    Protocol protocol = ref.port().protocol();
    if ((protocol != Protocol.HTTPS && protocol != Protocol.TLS)
        || EffectivePolicy.of(ref.rule(), ref.port().number(), ref.subset()).tls().isPresent()
        || meshGateways.expectMeshTls(ref)) {
      return;
    }
    diagnostics.warning(
        subject,
        field,
        "port "
            + ref.port().number()
            + " of host \""
            + ref.host()
            + "\" is declared protocol "
            + protocol.wireName()
            + " by "
            + Subjects.of(ref.serviceEntry())
            + ", but no DestinationRule originates TLS for it: the gateway sends plaintext HTTP to"
            + " a TLS port, which the upstream will refuse. To originate TLS at the gateway, add a"
            + " DestinationRule for host \""
            + ref.host()
            + "\" with trafficPolicy.portLevelSettings: [{port: {number: "
            + ref.port().number()
            + "}, tls: {mode: SIMPLE}}].");
  }

  private Outcome decide(ClusterRef ref) {
    Optional<EffectivePolicy.Sourced<ClientTlsSettings>> sourced =
        EffectivePolicy.of(ref.rule(), ref.port().number(), ref.subset()).tls();
    if (sourced.isEmpty() && meshGateways.expectMeshTls(ref)) {
      return Outcome.originate(defaultMeshTls(ref));
    }
    if (sourced.isEmpty() || sourced.get().value().mode() == Mode.DISABLE) {
      return Outcome.PLAINTEXT;
    }
    ClientTlsSettings tls = sourced.get().value();
    Where where = new Where(Subjects.of(ref.rule().orElseThrow()), sourced.get().field(), ref);
    boolean http2 =
        ClusterBuilder.upstreamProtocol(ref.port().protocol())
            == UpstreamCluster.UpstreamProtocol.HTTP2;
    Outcome outcome =
        tls.mode() == Mode.ISTIO_MUTUAL
            ? Outcome.originate(istioMutual(ref, tls, http2))
            : originate(ref, tls, http2, where);
    return requireSniFits(outcome, where);
  }

  /**
   * Envoy rejects an SNI over 255 bytes, and would reject the whole snapshot with it; Istio's
   * generated {@code outbound_.PORT_.SUBSET_.HOST} can get there with a long host.
   */
  private Outcome requireSniFits(Outcome outcome, Where where) {
    Optional<String> sni = outcome.tls().flatMap(UpstreamTls::sni);
    if (sni.isEmpty() || sni.get().getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 255) {
      return outcome;
    }
    diagnostics.error(
        where.subject(),
        where.field() + ".sni",
        "the SNI \""
            + sni.get()
            + "\" is longer than 255 bytes, which TLS does not allow; cluster "
            + where.ref().name()
            + " is not sent to the proxy and requests routed to it get 503 (fail closed). Set a"
            + " shorter sni.");
    return Outcome.UNUSABLE;
  }

  /** Where a TLS block sits, for diagnostics. */
  private record Where(String subject, String field, ClusterRef ref) {}

  /**
   * As Istio: the mesh certificate and root, SNI {@code outbound_.PORT_.SUBSET_.HOST} unless set,
   * SANs from the rule or else the service's identities.
   */
  private UpstreamTls istioMutual(ClusterRef ref, ClientTlsSettings tls, boolean http2) {
    String sni =
        tls.sni()
            .orElse("outbound_." + ref.port().number() + "_." + ref.subset() + "_." + ref.host());
    return new UpstreamTls(
        Optional.of(sni),
        http2 ? MESH_ALPN_H2 : MESH_ALPN,
        Optional.of(new CertificateSource.Sds(SdsSecret.meshCertificate())),
        Optional.of(new TrustSource.Sds(SdsSecret.meshTrustBundle())),
        tls.subjectAltNames().isEmpty() ? serviceIdentities(ref) : tls.subjectAltNames());
  }

  /**
   * ISTIO_MUTUAL to an Outpost gateway that no DestinationRule configures: the SNI is each
   * request's Host (the external host the application asked for), which is what the gateway's
   * ISTIO_MUTUAL server matches by, where Istio's {@code outbound_.PORT_._.HOST} would match no
   * server; the gateway must hold one of its pods' identities.
   */
  private UpstreamTls defaultMeshTls(ClusterRef ref) {
    boolean http2 =
        ClusterBuilder.upstreamProtocol(ref.port().protocol())
            == UpstreamCluster.UpstreamProtocol.HTTP2;
    return new UpstreamTls(
        Optional.empty(),
        http2 ? MESH_ALPN_H2 : MESH_ALPN,
        Optional.of(new CertificateSource.Sds(SdsSecret.meshCertificate())),
        Optional.of(new TrustSource.Sds(SdsSecret.meshTrustBundle())),
        serviceIdentities(ref));
  }

  private Outcome originate(ClusterRef ref, ClientTlsSettings tls, boolean http2, Where where) {
    boolean mutual = tls.mode() == Mode.MUTUAL;
    warnIgnoredFields(tls, mutual, where);

    Optional<CertificateSource> certificate = Optional.empty();
    if (mutual) {
      certificate = clientCertificate(tls, where);
      if (certificate.isEmpty()) {
        return Outcome.UNUSABLE;
      }
    }

    Optional<TrustSource> trust;
    if (tls.insecureSkipVerify().orElse(false)) {
      diagnostics.warning(
          where.subject(),
          where.field() + ".insecureSkipVerify",
          "the server certificate of cluster "
              + ref.name()
              + " is not verified: anyone who can intercept the connection to \""
              + ref.host()
              + "\" can read and change the traffic. Remove insecureSkipVerify and give the"
              + " server's CA (caCertificates or credentialName), or rely on the system trust"
              + " store.");
      trust = Optional.empty();
    } else {
      trust = trustAnchor(tls, mutual, where);
      if (trust.isEmpty()) {
        return Outcome.UNUSABLE;
      }
    }

    // Istio sends the request's Host as SNI when none is set (auto SNI); a concrete destination
    // host is the same name for every request, and is explicit in the config.
    Optional<String> sni = tls.sni().or(() -> concrete(ref.host()));
    ImmutableList<String> sans = tls.subjectAltNames();
    if (sans.isEmpty()) {
      sans = serviceIdentities(ref);
    }
    if (sans.isEmpty() && trust.isPresent() && sni.isPresent()) {
      // A CA alone accepts any name it ever certified (the system store: any public site); check
      // the name the gateway asked for, as Istio's automatic SAN validation does.
      sans = ImmutableList.of(sni.get());
    }
    return Outcome.originate(
        new UpstreamTls(sni, http2 ? H2_ALPN : ImmutableList.of(), certificate, trust, sans));
  }

  private Optional<CertificateSource> clientCertificate(
      ClientTlsSettings tls, Where where) {
    if (tls.credentialName().isPresent()) {
      return credentials
          .keyPair(where.subject(), where.field() + ".credentialName", tls.credentialName().get())
          .map(CertificateSource.Sds::new);
    }
    if (tls.clientCertificate().isPresent() && tls.privateKey().isPresent()) {
      return Optional.of(
          new CertificateSource.Files(
              tls.clientCertificate().get(), tls.privateKey().get()));
    }
    diagnostics.error(
        where.subject(),
        where.field() + ".mode",
        "MUTUAL needs a client certificate: set credentialName (a Secret in the gateway's"
            + " namespace with tls.crt and tls.key) or both clientCertificate and privateKey."
            + " Cluster "
            + where.ref().name()
            + " is not sent to the proxy and requests routed to it get 503 (fail closed).");
    return Optional.empty();
  }

  /** The CA to verify the server with; empty when it cannot be used (fail closed). */
  private Optional<TrustSource> trustAnchor(
      ClientTlsSettings tls, boolean mutual, Where where) {
    if (tls.credentialName().isEmpty()) {
      return Optional.of(
          new TrustSource.File(
              tls.caCertificates().orElse(UpstreamTls.SYSTEM_TRUST_STORE)));
    }
    String name = tls.credentialName().get();
    String field = where.field() + ".credentialName";
    if (mutual) {
      // Istio serves kubernetes://NAME-cacert for MUTUAL and has no fallback: without a CA in the
      // Secrets the cluster never becomes ready. Say so instead of waiting.
      return credentials
          .trustedCa(where.subject(), field, name)
          .map(TrustSource.Sds::new);
    }
    CredentialResolver.OptionalCa ca = credentials.optionalTrustedCa(where.subject(), field, name);
    if (ca.unusable()) {
      return Optional.empty();
    }
    return Optional.of(
        ca.ca()
            .<TrustSource>map(TrustSource.Sds::new)
            .orElse(new TrustSource.File(UpstreamTls.SYSTEM_TRUST_STORE)));
  }

  private void warnIgnoredFields(ClientTlsSettings tls, boolean mutual, Where where) {
    if (tls.credentialName().isPresent()) {
      for (String file : presentFileFields(tls)) {
        diagnostics.warning(
            where.subject(),
            where.field() + "." + file,
            file
                + " is ignored: credentialName is set, and the certificates come from that Secret"
                + " (as in Istio). Remove one of them.");
      }
    } else if (!mutual) {
      if (tls.clientCertificate().isPresent() || tls.privateKey().isPresent()) {
        diagnostics.warning(
            where.subject(),
            where.field()
                + (tls.clientCertificate().isPresent() ? ".clientCertificate" : ".privateKey"),
            "a client certificate is only presented with mode MUTUAL; with SIMPLE it is ignored.");
      }
    }
  }

  private static Set<String> presentFileFields(ClientTlsSettings tls) {
    Set<String> out = new TreeSet<>();
    tls.clientCertificate().ifPresent(v -> out.add("clientCertificate"));
    tls.privateKey().ifPresent(v -> out.add("privateKey"));
    tls.caCertificates().ifPresent(v -> out.add("caCertificates"));
    return out;
  }

  /**
   * The identities the service's servers hold, as Istio collects them for an external service:
   * the ServiceEntry's {@code subjectAltNames}, then each endpoint's service account as a SPIFFE
   * URI of the ServiceEntry's namespace.
   */
  private ImmutableList<String> serviceIdentities(ClusterRef ref) {
    ServiceEntry se = ref.serviceEntry();
    LinkedHashSet<String> out = new LinkedHashSet<>(se.subjectAltNames());
    new TreeSet<>(
            se.endpoints().stream()
                .map(WorkloadEntry::serviceAccount)
                .flatMap(Optional::stream)
                .toList())
        .forEach(
            sa ->
                out.add(
                    "spiffe://"
                        + trustDomain
                        + "/ns/"
                        + se.metadata().namespace()
                        + "/sa/"
                        + sa));
    return ImmutableList.copyOf(out);
  }

  private static Optional<String> concrete(String host) {
    return Hosts.isWildcard(host) ? Optional.empty() : Optional.of(host);
  }
}
