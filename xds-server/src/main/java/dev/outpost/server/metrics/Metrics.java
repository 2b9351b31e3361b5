package dev.outpost.server.metrics;

import com.google.common.collect.ImmutableMap;
import dev.outpost.translator.diag.Severity;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The server's counters and gauges, rendered in the Prometheus text format by {@code /metrics}.
 * Hand-rolled on purpose: a dozen series do not justify a metrics library in the fat jar.
 */
public final class Metrics {
  private final Map<String, AtomicLong> pushesByType = new ConcurrentSkipListMap<>();
  private final Map<String, AtomicLong> nacksByType = new ConcurrentSkipListMap<>();
  private final Map<String, AtomicLong> refusedByReason = new ConcurrentSkipListMap<>();
  private final Map<String, AtomicLong> limitRefusals = new ConcurrentSkipListMap<>();
  private final java.util.List<java.util.function.Supplier<String>> sections = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final AtomicLong rejectedSnapshots = new AtomicLong();
  private final AtomicLong publishedSnapshots = new AtomicLong();
  private final AtomicLong configReloads = new AtomicLong();
  private final AtomicLong translations = new AtomicLong();
  private final AtomicLong translationNanos = new AtomicLong();
  private final Map<Severity, Integer> diagnostics = new ConcurrentHashMap<>();
  private volatile IntSupplier connectedProxies = () -> 0;
  private volatile LongSupplier meshCertificatesIssued = () -> 0;
  private volatile LongSupplier meshCaExpiry = null;

  public void connectedProxiesFrom(IntSupplier supplier) {
    this.connectedProxies = supplier;
  }

  /**
   * The mesh CA's numbers: certificates issued so far, and when the signing CA certificate expires
   * (Unix seconds), so that an alert can fire long before every certificate stops working.
   */
  public void meshCaFrom(LongSupplier certificatesIssued, LongSupplier caExpiryEpochSeconds) {
    this.meshCertificatesIssued = certificatesIssued;
    this.meshCaExpiry = caExpiryEpochSeconds;
  }

  public void pushed(String typeUrl) {
    pushesByType.computeIfAbsent(shortType(typeUrl), k -> new AtomicLong()).incrementAndGet();
  }

  public void nacked(String typeUrl) {
    nacksByType.computeIfAbsent(shortType(typeUrl), k -> new AtomicLong()).incrementAndGet();
  }

  /** A proxy's stream was refused (bad metadata, or metadata that disagrees with its pod). */
  public void proxyRefused(String reason) {
    refusedByReason.computeIfAbsent(reason, k -> new AtomicLong()).incrementAndGet();
  }

  /**
   * A proxy's stream was refused because a cap on what proxies may make the server hold was
   * reached ({@code proxy_groups}, {@code streams_per_peer}).
   */
  public void proxyLimitRefused(String limit) {
    limitRefusals.computeIfAbsent(limit, k -> new AtomicLong()).incrementAndGet();
  }

  /** Shows each of these limits' refusal counter from the start, at 0, so alerts can rate() it. */
  public void proxyLimitsDeclared(String... limits) {
    for (String limit : limits) {
      limitRefusals.computeIfAbsent(limit, k -> new AtomicLong());
    }
  }

  /**
   * More series, rendered after the server's own on every scrape: a config source's numbers (the
   * Kubernetes watcher's). The supplier returns complete Prometheus text lines.
   */
  public void addSection(java.util.function.Supplier<String> prometheusText) {
    sections.add(prometheusText);
  }

  public void snapshotRejected() {
    rejectedSnapshots.incrementAndGet();
  }

  public void snapshotPublished() {
    publishedSnapshots.incrementAndGet();
  }

  public void configReloaded() {
    configReloads.incrementAndGet();
  }

  public void translated(long nanos) {
    translations.incrementAndGet();
    translationNanos.addAndGet(nanos);
  }

  /** The diagnostics of the current config, by severity (replaces the previous numbers). */
  public void currentDiagnostics(Map<Severity, Integer> countsBySeverity) {
    for (Severity severity : Severity.values()) {
      diagnostics.put(severity, countsBySeverity.getOrDefault(severity, 0));
    }
  }

  public long nacks() {
    return nacksByType.values().stream().mapToLong(AtomicLong::get).sum();
  }

  public long rejectedSnapshots() {
    return rejectedSnapshots.get();
  }

  public long configReloads() {
    return configReloads.get();
  }

  public String prometheusText() {
    StringBuilder out = new StringBuilder();
    gauge(out, "outpost_connected_proxies", "Envoy proxies with an open ADS stream.", connectedProxies.getAsInt());
    labelled(out, "outpost_xds_pushes_total", "counter", "xDS responses sent, by resource type.", "type", pushesByType);
    labelled(out, "outpost_xds_nacks_total", "counter", "xDS responses Envoy rejected (NACK), by resource type.", "type", nacksByType);
    labelled(out, "outpost_proxies_refused_total", "counter",
        "xDS streams refused because of the proxy's identity (metadata invalid, or disagreeing with its pod), by reason.",
        "reason", refusedByReason);
    labelled(out, "outpost_proxy_limit_refusals_total", "counter",
        "xDS streams refused because a cap was reached (--max-proxy-groups, --max-streams-per-peer), by limit.",
        "limit", limitRefusals);
    counter(out, "outpost_snapshots_published_total", "Group snapshots that passed the checker and were published.", publishedSnapshots.get());
    counter(out, "outpost_snapshots_rejected_total", "Group snapshots the checker rejected; the group kept its last good one.", rejectedSnapshots.get());
    counter(out, "outpost_config_reloads_total", "Times the configuration was read and translated.", configReloads.get());
    counter(out, "outpost_mesh_certificates_issued_total", "Workload certificates the mesh CA issued (first issue and renewals).", meshCertificatesIssued.getAsLong());
    LongSupplier expiry = meshCaExpiry;
    if (expiry != null) {
      gauge(out, "outpost_mesh_ca_expiry_timestamp_seconds", "When the mesh CA's signing certificate expires, in Unix seconds.", expiry.getAsLong());
    }
    Map<String, AtomicLong> bySeverity = new ConcurrentSkipListMap<>();
    Map<Severity, Integer> snapshot = new EnumMap<>(Severity.class);
    snapshot.putAll(diagnostics);
    snapshot.forEach((severity, count) -> bySeverity.put(severity.name().toLowerCase(Locale.ROOT), new AtomicLong(count)));
    labelled(out, "outpost_config_diagnostics", "gauge", "Diagnostics of the current configuration, by severity.", "severity", bySeverity);
    out.append("# HELP outpost_translation_seconds Time spent translating config for proxy groups.\n");
    out.append("# TYPE outpost_translation_seconds summary\n");
    out.append("outpost_translation_seconds_sum ").append(translationNanos.get() / 1e9).append('\n');
    out.append("outpost_translation_seconds_count ").append(translations.get()).append('\n');
    for (java.util.function.Supplier<String> section : sections) {
      out.append(section.get());
    }
    return out.toString();
  }

  private static void gauge(StringBuilder out, String name, String help, long value) {
    header(out, name, "gauge", help);
    out.append(name).append(' ').append(value).append('\n');
  }

  private static void counter(StringBuilder out, String name, String help, long value) {
    header(out, name, "counter", help);
    out.append(name).append(' ').append(value).append('\n');
  }

  private static void labelled(
      StringBuilder out, String name, String kind, String help, String label, Map<String, AtomicLong> values) {
    header(out, name, kind, help);
    for (Map.Entry<String, AtomicLong> entry : ImmutableMap.copyOf(values).entrySet()) {
      out.append(name).append('{').append(label).append("=\"").append(entry.getKey()).append("\"} ")
          .append(entry.getValue().get()).append('\n');
    }
  }

  private static void header(StringBuilder out, String name, String kind, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(kind).append('\n');
  }

  /** {@code type.googleapis.com/envoy.config.cluster.v3.Cluster} → {@code Cluster}. */
  static String shortType(String typeUrl) {
    int dot = typeUrl.lastIndexOf('.');
    return dot >= 0 ? typeUrl.substring(dot + 1) : typeUrl;
  }
}
