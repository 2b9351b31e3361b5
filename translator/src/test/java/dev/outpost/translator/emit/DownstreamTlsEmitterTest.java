package dev.outpost.translator.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import com.google.protobuf.ByteString;
import dev.outpost.translator.ir.DownstreamTls;
import dev.outpost.translator.ir.SdsSecret;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher.SanType;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsParameters;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DownstreamTlsEmitterTest {
  private final DownstreamTlsEmitter emitter = new DownstreamTlsEmitter();

  private static final SdsSecret CERT =
      SdsSecret.keyPair(
          "kubernetes://c", ByteString.copyFromUtf8("chain"), ByteString.copyFromUtf8("key"));
  private static final SdsSecret CA =
      SdsSecret.trustBundle("kubernetes://c-cacert", ByteString.copyFromUtf8("ca"));

  private static DownstreamTls tls(
      Optional<DownstreamTls.TrustSource> trust,
      boolean require,
      List<String> sans,
      DownstreamTls.TlsVersion min,
      List<String> ciphers) {
    return new DownstreamTls(
        new DownstreamTls.CertificateSource.Sds(CERT),
        trust,
        require,
        ImmutableList.copyOf(sans),
        ImmutableList.of(),
        ImmutableList.of(),
        min,
        DownstreamTls.TlsVersion.AUTO,
        ImmutableList.copyOf(ciphers),
        ImmutableList.of());
  }

  private static DownstreamTlsContext context(TransportSocket socket) throws Exception {
    assertEquals(DownstreamTlsEmitter.TLS_TRANSPORT_SOCKET, socket.getName());
    return socket.getTypedConfig().unpack(DownstreamTlsContext.class);
  }

  @Test
  void simpleReferencesTheCertificateOverAdsSdsAndLeavesEnvoysDefaultsAlone() throws Exception {
    DownstreamTlsContext context =
        context(
            emitter.emit(
                tls(Optional.empty(), false, List.of(), DownstreamTls.TlsVersion.AUTO, List.of())));
    CommonTlsContext common = context.getCommonTlsContext();

    assertEquals("kubernetes://c", common.getTlsCertificateSdsSecretConfigs(0).getName());
    assertTrue(common.getTlsCertificateSdsSecretConfigs(0).getSdsConfig().hasAds());
    assertFalse(common.hasTlsParams(), "no parameters: Envoy's server defaults (TLS 1.2+)");
    assertFalse(common.hasValidationContextSdsSecretConfig());
    assertFalse(context.hasRequireClientCertificate());
    assertEquals(0, common.getTlsCertificatesCount(), "never inline key material");
  }

  @Test
  void mutualWithoutSansUsesTheSdsCaDirectlyAndWithSansCombinesThem() throws Exception {
    DownstreamTls.TrustSource ca = new DownstreamTls.TrustSource.Sds(CA);
    CommonTlsContext plain =
        context(
                emitter.emit(
                    tls(
                        Optional.of(ca),
                        true,
                        List.of(),
                        DownstreamTls.TlsVersion.AUTO,
                        List.of())))
            .getCommonTlsContext();
    assertEquals("kubernetes://c-cacert", plain.getValidationContextSdsSecretConfig().getName());

    DownstreamTlsContext withSans =
        context(
            emitter.emit(
                tls(
                    Optional.of(ca),
                    true,
                    List.of("spiffe://cluster.local/ns/a/sa/b", "client.example.com"),
                    DownstreamTls.TlsVersion.AUTO,
                    List.of())));
    CommonTlsContext.CombinedCertificateValidationContext combined =
        withSans.getCommonTlsContext().getCombinedValidationContext();
    assertEquals("kubernetes://c-cacert", combined.getValidationContextSdsSecretConfig().getName());
    assertEquals(
        SanType.URI,
        combined.getDefaultValidationContext().getMatchTypedSubjectAltNames(0).getSanType());
    assertEquals(
        SanType.DNS,
        combined.getDefaultValidationContext().getMatchTypedSubjectAltNames(1).getSanType());
    assertEquals(
        "client.example.com",
        combined
            .getDefaultValidationContext()
            .getMatchTypedSubjectAltNames(1)
            .getMatcher()
            .getExact());
    assertTrue(withSans.getRequireClientCertificate().getValue());
  }

  @Test
  void versionsAndCiphersBecomeTlsParameters() throws Exception {
    TlsParameters params =
        context(
                emitter.emit(
                    tls(
                        Optional.empty(),
                        false,
                        List.of(),
                        DownstreamTls.TlsVersion.TLS_1_3,
                        List.of("ECDHE-RSA-AES128-GCM-SHA256"))))
            .getCommonTlsContext()
            .getTlsParams();
    assertEquals(TlsParameters.TlsProtocol.TLSv1_3, params.getTlsMinimumProtocolVersion());
    assertEquals(TlsParameters.TlsProtocol.TLS_AUTO, params.getTlsMaximumProtocolVersion());
    assertEquals(List.of("ECDHE-RSA-AES128-GCM-SHA256"), params.getCipherSuitesList());
  }

  @Test
  void sanTypesFollowTheirForm() {
    assertEquals(SanType.URI, DownstreamTlsEmitter.sanType("spiffe://td/ns/x/sa/y"));
    assertEquals(SanType.EMAIL, DownstreamTlsEmitter.sanType("ops@example.com"));
    assertEquals(SanType.IP_ADDRESS, DownstreamTlsEmitter.sanType("192.0.2.1"));
    assertEquals(SanType.IP_ADDRESS, DownstreamTlsEmitter.sanType("2001:db8::1"));
    assertEquals(SanType.DNS, DownstreamTlsEmitter.sanType("*.example.com"));
  }
}
