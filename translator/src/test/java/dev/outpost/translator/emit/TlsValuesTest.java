package dev.outpost.translator.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
