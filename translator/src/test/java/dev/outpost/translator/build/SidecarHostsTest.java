package dev.outpost.translator.build;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import org.junit.jupiter.api.Test;

/** Sidecar {@code egress.hosts} as Istio reads them, for a proxy in namespace {@code apps}. */
class SidecarHostsTest {
  private static SidecarHosts hosts(String... entries) {
    return new SidecarHosts(ImmutableList.copyOf(entries), "apps");
  }

  @Test
  void dotIsTheProxysNamespaceAndStarIsAny() {
    SidecarHosts own = hosts("./*");
    assertTrue(own.admits("apps", "api.example.com"));
    assertFalse(own.admits("payments", "api.example.com"));
    assertTrue(hosts("*/api.example.com").admits("payments", "api.example.com"));
    assertFalse(hosts("*/api.example.com").admits("payments", "other.example.com"));
  }

  @Test
  void tildeAdmitsNothingAndANamedNamespaceOnlyItself() {
    assertFalse(hosts("~/*").admits("apps", "api.example.com"));
    assertTrue(hosts("payments/*").admits("payments", "pay.example.com"));
    assertFalse(hosts("payments/*").admits("apps", "pay.example.com"));
  }

  @Test
  void wildcardDnsNamesCoverSubdomainsButNotTheBareDomainAndCaseIsIgnored() {
    SidecarHosts wildcard = hosts("*/*.example.com");
    assertTrue(wildcard.admits("x", "API.Example.com"));
    assertFalse(wildcard.admits("x", "example.com"));
    assertFalse(wildcard.admits("x", "api.example.org"));
  }

  @Test
  void aVirtualServiceCountsWhenOneOfItsHostsOverlapsAListedName() {
    SidecarHosts listed = hosts("./api.example.com");
    assertTrue(listed.admitsAny("apps", ImmutableList.of("other.test", "*.example.com")));
    assertFalse(listed.admitsAny("payments", ImmutableList.of("api.example.com")));
    assertFalse(listed.admitsAny("apps", ImmutableList.of("other.test")));
  }

  @Test
  void noSidecarMeansEverything() {
    assertTrue(SidecarHosts.EVERYTHING.admits("any", "host.example"));
  }
}
