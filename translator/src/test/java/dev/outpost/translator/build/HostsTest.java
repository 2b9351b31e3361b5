package dev.outpost.translator.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HostsTest {
  @Test
  void wildcardCoverage() {
    assertTrue(Hosts.covers("*", "a.com"));
    assertTrue(Hosts.covers("*.example.com", "api.example.com"));
    assertTrue(Hosts.covers("*.example.com", "*.api.example.com"));
    assertFalse(Hosts.covers("*.example.com", "example.com"));
    assertFalse(Hosts.covers("*.api.example.com", "*.example.com"));
    assertFalse(Hosts.covers("a.com", "b.com"));
  }

  @Test
  void intersectionPicksTheMoreSpecificHost() {
    assertEquals(Optional.of("api.example.com"), Hosts.intersect("*", "api.example.com"));
    assertEquals(
        Optional.of("api.example.com"), Hosts.intersect("api.example.com", "*.example.com"));
    assertEquals(Optional.empty(), Hosts.intersect("a.example.com", "b.example.com"));
  }

  @Test
  void shortNamesAreQualifiedWithTheNamespace() {
    assertEquals("httpbin.default.svc.cluster.local", Hosts.qualify("httpbin", "default"));
    assertEquals("httpbin.org", Hosts.qualify("httpbin.org", "default"));
    assertEquals("*", Hosts.qualify("*", "default"));
  }

  @Test
  void gatewayNameResolution() {
    assertEquals("apps/egress", GatewayNames.resolve("egress", "apps"));
    assertEquals("istio-system/egress", GatewayNames.resolve("istio-system/egress", "apps"));
    assertEquals(
        "istio-system/egress",
        GatewayNames.resolve("egress.istio-system.svc.cluster.local", "apps"));
    assertEquals("mesh", GatewayNames.resolve("mesh", "apps"));
  }

  @Test
  void serverHostForms() {
    ServerHost own = ServerHost.parse("./a.com", "istio-system", "f");
    assertEquals("istio-system", own.namespace());
    assertTrue(own.admitsNamespace("istio-system"));
    assertFalse(own.admitsNamespace("apps"));
    assertTrue(ServerHost.parse("*/a.com", "istio-system", "f").admitsNamespace("apps"));
    assertTrue(ServerHost.parse("a.com", "istio-system", "f").admitsNamespace("apps"));
    ServerHost team = ServerHost.parse("team-a/a.com", "istio-system", "f");
    assertEquals("a.com", team.host());
    assertTrue(team.admitsNamespace("team-a"));
    assertFalse(team.admitsNamespace("team-b"));
  }

  @Test
  void exportTo() {
    assertTrue(ExportTo.visible(ImmutableList.of(), "a", "b"));
    assertTrue(ExportTo.visible(ImmutableList.of("*"), "a", "b"));
    assertTrue(ExportTo.visible(ImmutableList.of("."), "a", "a"));
    assertFalse(ExportTo.visible(ImmutableList.of("."), "a", "b"));
    assertFalse(ExportTo.visible(ImmutableList.of("~"), "a", "a"));
    assertTrue(ExportTo.visible(ImmutableList.of("b"), "a", "b"));
  }
}
