package dev.outpost.server.admin;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.outpost.server.metrics.Metrics;
import dev.outpost.translator.diag.Severity;
import io.envoyproxy.controlplane.cache.Resources;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsTest {
  @Test
  void rendersPrometheusText() {
    Metrics metrics = new Metrics();
    metrics.connectedProxiesFrom(() -> 3);
    metrics.pushed(Resources.V3.CLUSTER_TYPE_URL);
    metrics.pushed(Resources.V3.CLUSTER_TYPE_URL);
    metrics.nacked(Resources.V3.ROUTE_TYPE_URL);
    metrics.snapshotRejected();
    metrics.configReloaded();
    metrics.currentDiagnostics(Map.of(Severity.WARNING, 4));
    metrics.translated(2_000_000);

    String text = metrics.prometheusText();
    assertTrue(text.contains("outpost_connected_proxies 3\n"), text);
    assertTrue(text.contains("outpost_xds_pushes_total{type=\"Cluster\"} 2\n"), text);
    assertTrue(text.contains("outpost_xds_nacks_total{type=\"RouteConfiguration\"} 1\n"), text);
    assertTrue(text.contains("outpost_snapshots_rejected_total 1\n"), text);
    assertTrue(text.contains("outpost_config_reloads_total 1\n"), text);
    assertTrue(text.contains("outpost_config_diagnostics{severity=\"warning\"} 4\n"), text);
    assertTrue(text.contains("outpost_config_diagnostics{severity=\"error\"} 0\n"), text);
    assertTrue(text.contains("outpost_translation_seconds_count 1\n"), text);
    assertTrue(text.contains("# TYPE outpost_xds_nacks_total counter\n"), text);
  }
}
