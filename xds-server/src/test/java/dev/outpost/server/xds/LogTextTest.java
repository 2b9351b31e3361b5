package dev.outpost.server.xds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.outpost.translator.api.ProxyIdentity;
import dev.outpost.translator.api.ProxyRole;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogTextTest {
  @Test
  void aNodeIdCannotForgeALogLine() {
    String forged = "gw-1\n2026-11-22T08:00:00Z ERROR SnapshotPublisher - fake";
    String safe = LogText.of(forged);
    assertFalse(safe.contains("\n"), safe);
    assertEquals("gw-1\\n2026-11-22T08:00:00Z ERROR SnapshotPublisher - fake", safe);
    assertEquals("a\\u001b[31mb\\u2028c", LogText.of("a\u001b[31mb\u2028c"));
  }

  @Test
  void longTextIsCapped() {
    String safe = LogText.of("x".repeat(100_000));
    assertTrue(safe.length() < LogText.MAX + 40, String.valueOf(safe.length()));
    assertTrue(safe.endsWith("... (100000 characters)"), safe.substring(safe.length() - 40));
  }

  @Test
  void groupKeysFromMetadataAreOneLine() {
    GroupKey key = GroupKey.of(ProxyIdentity.of("n", ProxyRole.GATEWAY, "shop\nINFO x", "sa", Map.of("app", "a\rb")));
    assertEquals("gateway|shop\\nINFO x|sa|app=a\\rb", key.toString());
    assertEquals("gateway|istio-system|sa|istio=egressgateway",
        GroupKey.of(ProxyIdentity.of("n", ProxyRole.GATEWAY, "istio-system", "sa", Map.of("istio", "egressgateway"))).toString());
  }
}
