package dev.outpost.it.hostile;

import static dev.outpost.it.hostile.CaseFiles.text;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.List;

/**
 * Numbers of the right type but out of range: ports 0, 65536 and beyond int32, weights over 100,
 * negative counts and durations, uint32 overflow, infinity, fractions where integers are due;
 * and hosts that point the gateway at itself (0.0.0.0, loopback). Each is named with its field.
 */
final class OutOfRangeCases {
  private OutOfRangeCases() {}

  /** One substitution in a seed: the text replaced, what replaces it, the field named. */
  record Edit(Manifests.Seed seed, String what, String from, String to, String field) {}

  static List<Edit> edits() {
    Manifests.Seed se = Manifests.SERVICE_ENTRY;
    Manifests.Seed gw = Manifests.GATEWAY;
    Manifests.Seed vs = Manifests.VIRTUAL_SERVICE;
    Manifests.Seed dr = Manifests.DESTINATION_RULE;
    Manifests.Seed svc = Manifests.SERVICE;
    Manifests.Seed slice = Manifests.ENDPOINT_SLICE;
    String sePort = "number: 8080";
    return List.of(
        new Edit(se, "port-0", sePort, "number: 0", "spec.ports[0].number"),
        new Edit(se, "port-65536", sePort, "number: 65536", "spec.ports[0].number"),
        new Edit(se, "port-negative", sePort, "number: -80", "spec.ports[0].number"),
        new Edit(se, "port-2-pow-31", sePort, "number: 2147483648", "spec.ports[0].number"),
        new Edit(se, "port-2-pow-63", sePort, "number: 9223372036854775808", "spec.ports[0].number"),
        new Edit(se, "port-infinity", sePort, "number: .inf", "file hostile.yaml"),
        new Edit(se, "port-1e400", sePort, "number: 1e400", "spec.ports[0].number"),
        new Edit(se, "port-80-point-5", sePort, "number: 80.5", "spec.ports[0].number"),
        new Edit(se, "target-port-70000", "targetPort: 8080", "targetPort: 70000", "spec.ports[0].targetPort"),
        new Edit(se, "endpoint-port-70000", "ports: {http-alt: 8080}", "ports: {http-alt: 70000}", "spec.endpoints[0].ports"),
        new Edit(se, "endpoint-weight-negative", "weight: 1}", "weight: -5}", "spec.endpoints[0].weight"),
        new Edit(se, "endpoint-weight-2-pow-32", "weight: 1}", "weight: 4294967296}", "spec.endpoints[0].weight"),
        new Edit(gw, "server-port-0", "number: 8081", "number: 0", "spec.servers[0].port.number"),
        new Edit(gw, "server-port-99999", "number: 8081", "number: 99999", "spec.servers[0].port.number"),
        new Edit(vs, "route-weight-2-pow-31", "weight: 100", "weight: 2147483648", "spec.http[0].route[0].weight"),
        new Edit(vs, "route-weight-negative", "weight: 100", "weight: -1", "spec.http[0].route[0].weight"),
        new Edit(vs, "destination-port-70000", "port: {number: 80}", "port: {number: 70000}", "spec.http[0].route[0].destination.port.number"),
        new Edit(vs, "retries-negative", "attempts: 3", "attempts: -1", "spec.http[0].retries.attempts"),
        new Edit(vs, "retries-2-pow-31", "attempts: 3", "attempts: 2147483648", "spec.http[0].retries.attempts"),
        new Edit(vs, "timeout-negative", "timeout: 5s", "timeout: -1s", "spec.http[0].timeout"),
        new Edit(vs, "timeout-beyond-protobuf-duration", "timeout: 5s", "timeout: 999999999999999s", "spec.http[0].timeout"),
        new Edit(vs, "timeout-1e400-seconds", "timeout: 5s", "timeout: 1e400s", "spec.http[0].timeout"),
        new Edit(vs, "per-try-timeout-nanoseconds-overflow", "perTryTimeout: 2s", "perTryTimeout: 99999999999999999999ns", "spec.http[0].retries.perTryTimeout"),
        new Edit(dr, "max-connections-negative", "maxConnections: 100", "maxConnections: -1", "spec.trafficPolicy.connectionPool.tcp.maxConnections"),
        new Edit(dr, "max-connections-2-pow-32", "maxConnections: 100", "maxConnections: 4294967296", "spec.trafficPolicy.connectionPool.tcp.maxConnections"),
        new Edit(dr, "max-ejection-percent-101", "maxEjectionPercent: 50", "maxEjectionPercent: 101", "spec.trafficPolicy.outlierDetection.maxEjectionPercent"),
        new Edit(dr, "consecutive-errors-negative", "consecutive5xxErrors: 5", "consecutive5xxErrors: -5", "spec.trafficPolicy.outlierDetection.consecutive5xxErrors"),
        new Edit(dr, "interval-zero", "interval: 10s", "interval: 0s", "spec.trafficPolicy.outlierDetection.interval"),
        new Edit(dr, "connect-timeout-negative", "connectTimeout: 5s", "connectTimeout: -5s", "spec.trafficPolicy.connectionPool.tcp.connectTimeout"),
        new Edit(svc, "port-0", "port: 80,", "port: 0,", "spec.ports[0].port"),
        new Edit(svc, "port-70000", "port: 80,", "port: 70000,", "spec.ports[0].port"),
        new Edit(slice, "port-70000", "port: 8080", "port: 70000", "ports[0].port"),
        new Edit(slice, "port-negative", "port: 8080", "port: -1", "ports[0].port"),
        new Edit(slice, "address-not-an-ip", "addresses: [10.1.0.5]", "addresses: [not-an-ip]", "endpoints[0].addresses[0]"),
        new Edit(Manifests.ENVOY_FILTER, "token-bucket-uint32-overflow", "max_tokens: 4", "max_tokens: 4294967296", "spec.configPatches[0].patch.value"));
  }

  /** The seed's host and its STATIC endpoints: a host is where traffic goes only under DNS. */
  private static final String STATIC_HOST =
      "hosts: [hostile-se.example.com]\n  addresses: [240.0.0.10]\n"
          + "  ports: [{number: 8080, name: http-alt, protocol: HTTP, targetPort: 8080}]\n"
          + "  location: MESH_EXTERNAL\n  resolution: STATIC\n"
          + "  endpoints: [{address: 203.0.113.10, ports: {http-alt: 8080}, labels: {version: v1}, weight: 1}]";

  private static String dnsHost(String host) {
    return "hosts: [" + host + "]\n"
        + "  ports: [{number: 8080, name: http-alt, protocol: HTTP, targetPort: 8080}]\n"
        + "  location: MESH_EXTERNAL\n  resolution: DNS";
  }

  /**
   * Hosts and addresses that make the gateway call itself (item 6): a warning is due. A host
   * counts only where it is resolved (DNS without endpoints); with STATIC endpoints the host is a
   * name and the endpoints say where traffic goes.
   */
  static List<Edit> selfAddresses() {
    Manifests.Seed se = Manifests.SERVICE_ENTRY;
    return List.of(
        new Edit(se, "host-0.0.0.0", STATIC_HOST, dnsHost("0.0.0.0"), "spec.hosts[0]"),
        new Edit(se, "host-127.0.0.1", STATIC_HOST, dnsHost("127.0.0.1"), "spec.hosts[0]"),
        new Edit(se, "endpoint-127.0.0.1", "address: 203.0.113.10", "address: 127.0.0.1", "spec.endpoints[0].address"),
        new Edit(se, "endpoint-0.0.0.0", "address: 203.0.113.10", "address: 0.0.0.0", "spec.endpoints[0].address"));
  }

  static List<HostileCase> cases() {
    List<HostileCase> cases = new ArrayList<>();
    for (Edit e : edits()) {
      cases.add(fileCase("out-of-range", e));
    }
    for (Edit e : selfAddresses()) {
      cases.add(fileCase("self-address", e).needing(Needs.SELF_ADDRESSES));
    }
    for (Edit e : List.of(edits().get(1), edits().get(14), edits().get(23), edits().get(30), edits().get(33))) {
      cases.add(HostileCase.kubernetes("out-of-range", e.seed().kind() + "/" + e.what(),
          ImmutableList.of(apply(e)), e.seed().subject() + ":", e.field()));
    }
    cases.add(HostileCase.kubernetes("self-address", "ServiceEntry/host-0.0.0.0",
        ImmutableList.of(apply(selfAddresses().get(0))), Manifests.SERVICE_ENTRY.subject() + ":", "spec.hosts[0]").needing(Needs.SELF_ADDRESSES));
    return cases;
  }

  private static HostileCase fileCase(String category, Edit e) {
    String what = e.seed().kind() + "/" + e.what();
    return e.field().startsWith("file ")
        ? HostileCase.file(category, what, text(apply(e)), e.field()) // the YAML reader's own error
        : HostileCase.file(category, what, text(apply(e)), e.seed().subject() + ":", e.field());
  }

  static String apply(Edit e) {
    String yaml = e.seed().yaml();
    if (!yaml.contains(e.from())) {
      throw new IllegalStateException(e.what() + ": " + e.from() + " is not in the " + e.seed().kind() + " seed");
    }
    return yaml.replace(e.from(), e.to());
  }
}
