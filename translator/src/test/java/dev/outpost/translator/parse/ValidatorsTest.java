package dev.outpost.translator.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Host, address, regex and name syntax, and typo suggestions. */
class ValidatorsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "api.example.com",
        "*.example.com",
        "reviews",
        "API.Example.COM",
        "a-b.c-d.io",
        "192.0.2.1",
        "x1"
      })
  void acceptsHosts(String host) {
    assertEquals(Optional.empty(), HostValidator.checkWildcardHost(host, false));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", "*", "a..b", ".a", "a.", "-a.com", "a-.com", "*a.com", "a.*.com", "**.com", "a_b.com",
        "a b.com", "a/b"
      })
  void rejectsHosts(String host) {
    assertTrue(HostValidator.checkWildcardHost(host, false).isPresent(), host);
  }

  @Test
  void starAloneOnlyWhereAllowed() {
    assertEquals(Optional.empty(), HostValidator.checkWildcardHost("*", true));
    assertTrue(HostValidator.checkConcreteHost("*.example.com").isPresent());
    assertTrue(
        HostValidator.checkWildcardHost("a".repeat(64) + ".com", false).isPresent(),
        "label longer than 63");
    assertTrue(
        HostValidator.checkWildcardHost(("a".repeat(60) + ".").repeat(5) + "com", false)
            .isPresent(),
        "longer than 255");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ns/api.example.com",
        "*/api.example.com",
        "./api.example.com",
        "ns/*",
        "*/*",
        "*",
        "api.example.com"
      })
  void acceptsNamespacedHosts(String host) {
    assertEquals(Optional.empty(), HostValidator.checkNamespacedHost(host));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"NS/api.example.com", "~/api.example.com", "/api.example.com", "ns/", "ns/a..b"})
  void rejectsNamespacedHosts(String host) {
    assertTrue(HostValidator.checkNamespacedHost(host).isPresent(), host);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "10.0.0.1",
        "10.0.0.0/8",
        "0.0.0.0/0",
        "::1",
        "2001:db8::/32",
        "2001:db8::1/128",
        "192.0.2.1/32"
      })
  void acceptsIpsAndCidrs(String address) {
    assertEquals(Optional.empty(), AddressValidator.checkIpOrCidr(address));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "10.0.0",
        "256.0.0.1",
        "10.0.0.0/33",
        "::1/129",
        "10.0.0.0/",
        "10.0.0.0/-1",
        "example.com",
        "10.0.0.1/8/8"
      })
  void rejectsBadIpsAndCidrs(String address) {
    assertTrue(AddressValidator.checkIpOrCidr(address).isPresent(), address);
  }

  @Test
  void re2RejectsWhatJavaRegexAccepts() {
    assertEquals(Optional.empty(), RegexValidator.check("^/api/v[0-9]+/.*$"));
    assertTrue(RegexValidator.check("(?<=x)y").isPresent(), "lookbehind");
    assertTrue(RegexValidator.check("(a)\\1").isPresent(), "backreference");
    assertTrue(RegexValidator.check("a{2,1}").isPresent());
  }

  @Test
  void namesFollowKubernetesRules() {
    assertTrue(Names.isDns1123Label("egress-gw1"));
    assertFalse(Names.isDns1123Label("Egress"));
    assertFalse(Names.isDns1123Label("a".repeat(64)));
    assertTrue(Names.isDns1123Subdomain("api.example"));
    assertFalse(Names.isDns1123Subdomain("api..example"));
    assertTrue(Names.isSecretKey("tls.crt"));
    assertFalse(Names.isSecretKey("a/b"));
  }

  @Test
  void typoSuggestions() {
    List<String> known = List.of("destination", "weight", "headers", "hosts", "subset");
    assertEquals(Optional.of("destination"), Typos.nearest("destinaton", known));
    assertEquals(Optional.of("destination"), Typos.nearest("Destination", known));
    assertEquals(Optional.of("hosts"), Typos.nearest("host", known));
    assertEquals(Optional.of("weight"), Typos.nearest("wieght", known), "transposition");
    assertEquals(Optional.empty(), Typos.nearest("timeout", known));
    assertEquals(Optional.empty(), Typos.nearest("x", known));
  }
}
