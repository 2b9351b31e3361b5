package dev.outpost.translator.build;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.model.Gateway;
import dev.outpost.translator.model.Protocol;
import dev.outpost.translator.model.Server;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Groups the selected Gateways' servers by port, Istio's merge: every plaintext HTTP server on a
 * port shares route config {@code http.PORT}. Servers that need TLS or are not HTTP are skipped
 * with a warning (TLS is a later issue; nothing half-configured is emitted). A host that two
 * servers on one port both claim is reported naming both, and only the first keeps it.
 */
final class PortAssembler {
  static final String DEFAULT_BIND = "0.0.0.0";

  /** A port with the servers that merged onto it, in Gateway then server order. */
  record PortPlan(int number, String bind, ImmutableList<BoundServer> servers) {}

  private final DiagnosticSink diagnostics;

  PortAssembler(DiagnosticSink diagnostics) {
    this.diagnostics = diagnostics;
  }

  ImmutableList<PortPlan> assemble(ImmutableList<Gateway> gateways) {
    Map<Integer, List<BoundServer>> byPort = new TreeMap<>();
    Map<Integer, String> binds = new HashMap<>();
    // host on a port → who claimed it first, for the duplicate diagnostic
    Map<Integer, Map<String, String>> claimedHosts = new HashMap<>();

    for (Gateway gateway : gateways) {
      String subject = Subjects.of(gateway);
      for (int i = 0; i < gateway.servers().size(); i++) {
        Server server = gateway.servers().get(i);
        String field = "spec.servers[" + i + "]";
        if (!acceptsPlaintextHttp(server, subject, field)) {
          continue;
        }
        int port = server.port().number();
        String bind = server.bind().orElse(DEFAULT_BIND);
        String firstBind = binds.putIfAbsent(port, bind);
        if (firstBind != null && !firstBind.equals(bind)) {
          diagnostics.error(
              subject,
              field + ".bind",
              "port "
                  + port
                  + " is already bound to "
                  + firstBind
                  + " by another server; one port can have only one listener address, so this"
                  + " server is skipped. Use the same bind on every server of port "
                  + port
                  + ".");
          continue;
        }
        Map<String, String> claimed =
            claimedHosts.computeIfAbsent(port, p -> new LinkedHashMap<>());
        ImmutableList.Builder<ServerHost> kept = ImmutableList.builder();
        String serverName = displayName(gateway, i, server);
        for (int h = 0; h < server.hosts().size(); h++) {
          String hostField = field + ".hosts[" + h + "]";
          ServerHost host =
              ServerHost.parse(server.hosts().get(h), gateway.metadata().namespace(), hostField);
          String owner = claimed.putIfAbsent(host.host(), serverName);
          if (owner != null && owner.equals(serverName)) {
            diagnostics.warning(
                subject,
                hostField,
                "host \""
                    + host.host()
                    + "\" is listed more than once on "
                    + serverName
                    + " (hosts compare case-insensitively, as Envoy matches them); the repeat is"
                    + " ignored. Remove it.");
            continue;
          }
          if (owner != null) {
            diagnostics.error(
                subject,
                hostField,
                "host \""
                    + host.host()
                    + "\" on port "
                    + port
                    + " is already served by "
                    + owner
                    + "; both servers share route config http."
                    + port
                    + ", which can hold a host once, so "
                    + serverName
                    + " does not get it. Remove the host from one of the two servers.");
            continue;
          }
          kept.add(host);
        }
        byPort
            .computeIfAbsent(port, p -> new ArrayList<>())
            .add(new BoundServer(gateway, i, server, kept.build()));
      }
    }
    ImmutableList.Builder<PortPlan> plans = ImmutableList.builder();
    byPort.forEach(
        (port, servers) ->
            plans.add(new PortPlan(port, binds.get(port), ImmutableList.copyOf(servers))));
    return plans.build();
  }

  private static String displayName(Gateway gateway, int index, Server server) {
    String name =
        server.port().name().isEmpty()
            ? "servers[" + index + "]"
            : "server " + server.port().name();
    return "Gateway " + Subjects.key(gateway.metadata()) + " " + name;
  }

  private boolean acceptsPlaintextHttp(Server server, String subject, String field) {
    Protocol protocol = server.port().protocol();
    boolean plaintextHttp =
        protocol == Protocol.HTTP || protocol == Protocol.HTTP2 || protocol == Protocol.GRPC;
    boolean tlsRelated =
        protocol == Protocol.HTTPS || protocol == Protocol.TLS || protocol == Protocol.TCP;
    if (server.tls().isPresent() || tlsRelated) {
      diagnostics.warning(
          subject,
          server.tls().isPresent() ? field + ".tls" : field + ".port.protocol",
          "server "
              + serverLabel(server)
              + " (protocol "
              + protocol.wireName()
              + (server.tls().isPresent() ? ", with a tls block" : "")
              + ") is not supported yet: TLS and TCP servers arrive with TLS support. It is"
              + " skipped; no listener is created for it.");
      return false;
    }
    if (!plaintextHttp) {
      diagnostics.warning(
          subject,
          field + ".port.protocol",
          "protocol "
              + protocol.wireName()
              + " is not supported on egress gateways; server "
              + serverLabel(server)
              + " is skipped. Use HTTP, HTTP2 or GRPC.");
      return false;
    }
    return true;
  }

  private static String serverLabel(Server server) {
    return server.port().name().isEmpty()
        ? "on port " + server.port().number()
        : "\"" + server.port().name() + "\"";
  }
}
