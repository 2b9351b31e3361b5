package dev.outpost.server.k8s;

import dev.outpost.k8s.WatcherStats;
import java.util.function.Supplier;

/** The Kubernetes watcher's numbers as Prometheus text, a section of {@code /metrics}. */
public final class WatcherMetrics implements Supplier<String> {
  private final Supplier<WatcherStats> stats;

  public WatcherMetrics(Supplier<WatcherStats> stats) {
    this.stats = stats;
  }

  @Override
  public String get() {
    WatcherStats s = stats.get();
    StringBuilder out = new StringBuilder();
    series(out, "outpost_kubernetes_synced", "gauge",
        "1 once every informer has listed its resources and the first snapshot was handed over.", s.synced() ? 1 : 0);
    series(out, "outpost_kubernetes_rebuilds_total", "counter", "Config snapshots assembled from the informer caches.", s.rebuilds());
    series(out, "outpost_kubernetes_snapshots_handed_over_total", "counter",
        "Snapshots that differed from the last one and were handed to the publisher.", s.published());
    series(out, "outpost_kubernetes_rebuild_failures_total", "counter",
        "Rebuilds that failed; the last snapshot stayed in effect.", s.rebuildFailures());
    series(out, "outpost_kubernetes_api_server_reachable", "gauge",
        "1 if the last request to the API server got an answer.", s.apiServerReachable() ? 1 : 0);
    series(out, "outpost_kubernetes_api_server_outages_total", "counter",
        "Times contact with the API server was lost (proxies keep their last config meanwhile).", s.apiServerOutages());
    series(out, "outpost_kubernetes_api_server_connection_failures_total", "counter",
        "Failed connection attempts to the API server, each retry counted.", s.apiServerConnectionFailures());
    return out.toString();
  }

  private static void series(StringBuilder out, String name, String type, String help, long value) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    out.append(name).append(' ').append(value).append('\n');
  }
}
