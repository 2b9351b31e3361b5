package dev.outpost.translator.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.outpost.translator.ir.CertificateSource;
import dev.outpost.translator.ir.SdsSecret;
import dev.outpost.translator.ir.TrustSource;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher.SanType;
import org.junit.jupiter.api.Test;

/** SAN typing is shared by the upstream and downstream emitters; one table for both. */
class TlsValuesTest {
  @Test
  void sanTypesFollowTheirForm() {
    assertEquals(SanType.URI, TlsValues.sanType("spiffe://td/ns/x/sa/y"));
    assertEquals(SanType.URI, TlsValues.sanType("urn:example:client"), "a URI needs no //");
    assertEquals(SanType.EMAIL, TlsValues.sanType("ops@example.com"));
    assertEquals(SanType.IP_ADDRESS, TlsValues.sanType("192.0.2.1"));
    assertEquals(SanType.IP_ADDRESS, TlsValues.sanType("2001:db8::1"));
    assertEquals(SanType.DNS, TlsValues.sanType("*.example.com"));
    assertEquals(SanType.DNS, TlsValues.sanType("api.example.com"));
    assertEquals(SanType.DNS, TlsValues.sanType("1.2"), "not an IP address: digits and dots alone");
  }

  @Test
  void matcherIsExact() {
    assertEquals("api.example.com", TlsValues.sanMatcher("api.example.com").getMatcher().getExact());
  }

  @Test
  void anSdsCaWithoutChecksIsReferencedAloneAndWithChecksCombined() {
    TrustSource ca = new TrustSource.Sds(SdsSecret.meshTrustBundle());
    CommonTlsContext.Builder alone = CommonTlsContext.newBuilder();
    TlsValues.validation(alone, ca, CertificateValidationContext.newBuilder());
    assertEquals("ROOTCA", alone.getValidationContextSdsSecretConfig().getName());
    assertFalse(alone.hasCombinedValidationContext());

    CommonTlsContext.Builder combined = CommonTlsContext.newBuilder();
    TlsValues.validation(
        combined,
        ca,
        CertificateValidationContext.newBuilder()
            .addMatchTypedSubjectAltNames(TlsValues.sanMatcher("spiffe://td/ns/a/sa/b")));
    assertEquals(
        "ROOTCA",
        combined.getCombinedValidationContext().getValidationContextSdsSecretConfig().getName());
    assertEquals(
        1,
        combined
            .getCombinedValidationContext()
            .getDefaultValidationContext()
            .getMatchTypedSubjectAltNamesCount());
  }

  @Test
  void aCaFileCarriesTheChecksInOneValidationContext() {
    CommonTlsContext.Builder common = CommonTlsContext.newBuilder();
    TlsValues.validation(
        common,
        new TrustSource.File("/etc/ca.pem"),
        CertificateValidationContext.newBuilder()
            .addMatchTypedSubjectAltNames(TlsValues.sanMatcher("api.example.com")));
    assertEquals("/etc/ca.pem", common.getValidationContext().getTrustedCa().getFilename());
    assertEquals(1, common.getValidationContext().getMatchTypedSubjectAltNamesCount());
  }

  @Test
  void certificatesFromSdsAreReferencesAndFilesAreFilenames() {
    CommonTlsContext.Builder sds = CommonTlsContext.newBuilder();
    TlsValues.certificate(sds, new CertificateSource.Sds(SdsSecret.meshCertificate()));
    assertEquals("default", sds.getTlsCertificateSdsSecretConfigs(0).getName());
    assertTrue(sds.getTlsCertificateSdsSecretConfigs(0).getSdsConfig().hasAds());

    CommonTlsContext.Builder files = CommonTlsContext.newBuilder();
    TlsValues.certificate(files, new CertificateSource.Files("/c.pem", "/c.key"));
    assertEquals("/c.key", files.getTlsCertificates(0).getPrivateKey().getFilename());
  }
}
