package dev.outpost.server.k8s;

import dev.outpost.k8s.StatusReporter;
import java.util.function.Supplier;

/** Status reporting's numbers as Prometheus text, a section of {@code /metrics}. */
final class StatusMetrics implements Supplier<String> {
  private final StatusReporter status;

  StatusMetrics(StatusReporter status) {
    this.status = status;
  }

  @Override
  public String get() {
    StringBuilder out = new StringBuilder();
    series(out, "outpost_leader", "gauge",
        "1 while this replica holds the leader Lease and writes status and Events.", status.isLeader() ? 1 : 0);
    series(out, "outpost_status_writes_total", "counter",
        "Status subresource updates written on Istio resources (unchanged statuses are not rewritten).",
        status.statusWrites());
    series(out, "outpost_events_created_total", "counter",
        "Warning Events created for resource errors, one per distinct error.", status.eventsCreated());
    return out.toString();
  }

  private static void series(StringBuilder out, String name, String type, String help, long value) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    out.append(name).append(' ').append(value).append('\n');
  }
}
