package dev.outpost.translator.parse;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.model.Port;
import dev.outpost.translator.model.SidecarEgress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a Sidecar's {@code egress} entries ({@code IstioEgressListener}), following Istio's
 * validation: an entry with a port is a listener the application addresses on that port (ports
 * unique), at most one entry leaves the port out (the catch-all, last), and every entry lists
 * hosts as {@code namespace/dnsName}. An entry with an error is left out of the model, with the
 * error; the other entries are kept.
 */
final class SidecarEgressParser {
  /** Istio's {@code CaptureMode}. Outpost intercepts nothing, so every mode reads as NONE. */
  private enum CaptureMode {
    DEFAULT,
    IPTABLES,
    NONE
  }

  private SidecarEgressParser() {}

  static ImmutableList<SidecarEgress> parse(FieldReader spec) {
    ImmutableList.Builder<SidecarEgress> out = ImmutableList.builder();
    List<FieldReader> entries = spec.objects("egress");
    Map<Integer, String> portOwners = new HashMap<>();
    Optional<String> catchAll = Optional.empty();
    for (int i = 0; i < entries.size(); i++) {
      FieldReader e = entries.get(i);
      long errorsBefore = e.findings().errorCount();
      Optional<SidecarEgress> entry = entry(e);
      if (entry.isPresent() && entry.get().port().isEmpty()) {
        if (catchAll.isPresent()) {
          e.error(
              "port",
              "is required here: only one egress entry may leave out port (the catch-all, "
                  + catchAll.get()
                  + "); give this one a port or move its hosts into that one");
        } else if (i != entries.size() - 1) {
          e.error(
              "port",
              "is missing, which makes this the catch-all entry, and the catch-all must be the"
                  + " last egress entry: move it to the end of the list or give it a port");
        }
        catchAll = catchAll.or(() -> Optional.of(e.path()));
      }
      entry
          .flatMap(SidecarEgress::port)
          .map(Port::number)
          .ifPresent(
              n -> {
                String owner = portOwners.putIfAbsent(n, e.path());
                if (owner != null) {
                  e.error(
                      "port.number",
                      "port "
                          + n
                          + " is used by "
                          + owner
                          + " already; each egress listener needs a port of its own");
                }
              });
      if (entry.isPresent() && e.findings().errorCount() == errorsBefore) {
        out.add(entry.get());
      }
    }
    return out.build();
  }

  /** One entry; empty when its port is unusable (other errors are counted by the caller). */
  private static Optional<SidecarEgress> entry(FieldReader e) {
    boolean hasPort = e.has("port");
    Optional<Port> port = e.object("port").flatMap(SidecarEgressParser::port);
    // Without a port, bind is where the client proxy's HTTP proxy listener listens (loopback by
    // default), e.g. 0.0.0.0 for a proxy that serves other pods or runs in its own container
    // network namespace.
    Optional<String> bind = e.string("bind");
    bind.ifPresent(b -> checkBind(e, b));
    e.enumValue("captureMode", CaptureMode.class)
        .filter(m -> m == CaptureMode.IPTABLES)
        .ifPresent(
            m ->
                e.warning(
                    "captureMode",
                    "IPTABLES: Outpost has no traffic interception (no iptables redirect), so this"
                        + " listener behaves as NONE: the application must connect to it"
                        + " (or use it as its HTTP proxy) itself"));
    ImmutableList<String> hosts = hosts(e);
    e.finish();
    if (hasPort && port.isEmpty()) {
      return Optional.empty(); // a port that was given but is invalid: reported
    }
    return Optional.of(new SidecarEgress(port, bind, hosts));
  }

  /** {@code port}: number, protocol and name as on a ServiceEntry; targetPort means nothing here. */
  private static Optional<Port> port(FieldReader p) {
    if (p.has("targetPort")) {
      p.warning("targetPort", "has no effect on a Sidecar egress port and is ignored");
    }
    Optional<Port> port = Fields.port(p, true);
    port.map(Port::name)
        .filter(name -> !Names.isDns1123Label(name))
        .ifPresent(
            name ->
                p.error(
                    "name",
                    "\"" + name + "\" is not a valid port name (a DNS-1123 label such as \"http\")"));
    return port.map(x -> new Port(x.number(), x.protocol(), x.name(), Optional.empty()));
  }

  private static void checkBind(FieldReader e, String bind) {
    if (bind.startsWith("unix://")) {
      e.error(
          "bind",
          "unix domain sockets are not supported: Outpost's client listeners bind to an IP"
              + " address; use one such as 127.0.0.1");
    } else if (!AddressValidator.isIp(bind)) {
      e.error("bind", "\"" + bind + "\" is not an IP address (e.g. 127.0.0.1 or ::1)");
    }
  }

  /**
   * {@code hosts}: required, each {@code namespace/dnsName}. Repeats are warnings, as in Istio: the
   * same host twice, a host its namespace's {@code *} already selects, {@code *}/{@code *} beside
   * other hosts.
   */
  private static ImmutableList<String> hosts(FieldReader e) {
    if (e.isMissingOrEmpty("hosts")) {
      e.error(
          "hosts",
          "is required: list at least one host as namespace/dnsName, e.g. \"*/api.example.com\" or"
              + " \"./*\"");
    }
    ImmutableList.Builder<String> out = ImmutableList.builder();
    Map<String, Set<String>> byNamespace = new HashMap<>();
    for (FieldReader.Element el : e.elements("hosts")) {
      Optional<String> host = e.asString(el.node(), el.path());
      if (host.isEmpty()) {
        continue;
      }
      Optional<String> problem = HostValidator.checkSidecarHost(host.get());
      if (problem.isPresent()) {
        e.findings().error(el.path(), problem.get());
        continue;
      }
      String namespace = host.get().substring(0, host.get().indexOf('/'));
      String name = host.get().substring(host.get().indexOf('/') + 1);
      Set<String> names = byNamespace.computeIfAbsent(namespace, k -> new HashSet<>());
      if (name.equals("*") && !names.isEmpty()) {
        e.findings()
            .warning(
                el.path(),
                "\""
                    + host.get()
                    + "\" selects every host of that namespace, so the "
                    + namespace
                    + "/ hosts listed before it add nothing; remove them");
      } else if (names.contains(name)) {
        e.findings()
            .warning(el.path(), "\"" + host.get() + "\" is listed twice in this entry; remove one");
      } else if (names.contains("*")) {
        e.findings()
            .warning(
                el.path(),
                "\""
                    + host.get()
                    + "\" is already selected by \""
                    + namespace
                    + "/*\" earlier in this entry; remove it");
      }
      names.add(name);
      out.add(host.get());
    }
    if (byNamespace.getOrDefault("*", Set.of()).contains("*") && byNamespace.size() > 1) {
      e.warning("hosts", "\"*/*\" selects every host, so the other hosts of this entry add nothing");
    }
    return out.build();
  }
}
