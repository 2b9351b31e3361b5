package dev.outpost.translator.build;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.model.Gateway;
import dev.outpost.translator.model.Protocol;
import dev.outpost.translator.model.Server;
import dev.outpost.translator.model.ServerTlsSettings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Groups the selected Gateways' servers by port, with Istio's merge rules: plaintext HTTP servers
 * on a port share route config {@code http.PORT}; TLS servers (passthrough or terminating) share a
 * port and are told apart by SNI; a plaintext TCP server has its port to itself. A server that
 * cannot join the port's first server (plaintext with TLS, two TCP servers) is skipped with an
 * error naming both. A host that two servers on one port both claim is reported naming both, and
 * only the first keeps it.
 */
final class PortAssembler {
  static final String DEFAULT_BIND = "0.0.0.0";

  /** A port with the servers that merged onto it, in Gateway then server order. */
  record PortPlan(int number, String bind, ImmutableList<BoundServer> servers) {

    /** The plan for a single server of this port (a terminating HTTPS server's own routes). */
    PortPlan only(BoundServer server) {
      return new PortPlan(number, bind, ImmutableList.of(server));
    }
  }

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
        Optional<ServerKind> kind = classify(server, subject, field);
        if (kind.isEmpty()) {
          continue;
        }
        int port = server.port().number();
        String bind = server.bind().orElse(DEFAULT_BIND);
        String firstBind = binds.get(port);
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
        String serverName = displayName(gateway, i, server);
        List<BoundServer> onPort = byPort.getOrDefault(port, List.of());
        if (!onPort.isEmpty() && !onPort.get(0).kind().canShareWith(kind.get())) {
          reportConflict(subject, field, serverName, kind.get(), onPort.get(0), port);
          continue;
        }
        binds.putIfAbsent(port, bind);
        Map<String, String> claimed =
            claimedHosts.computeIfAbsent(port, p -> new LinkedHashMap<>());
        ImmutableList.Builder<ServerHost> kept = ImmutableList.builder();
        boolean anyHost = false;
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
                subject, hostField, duplicateHost(host, port, owner, serverName, kind.get()));
            continue;
          }
          kept.add(host);
          anyHost = true;
        }
        if (!anyHost && kind.get().isTls()) {
          // A TLS server without hosts would have no SNI names: a catch-all chain that is not
          // what the user wrote. Its hosts all belong to other servers, so it has nothing to do.
          continue;
        }
        byPort
            .computeIfAbsent(port, p -> new ArrayList<>())
            .add(new BoundServer(gateway, i, server, kind.get(), kept.build()));
      }
    }
    ImmutableList.Builder<PortPlan> plans = ImmutableList.builder();
    byPort.forEach(
        (port, servers) ->
            plans.add(new PortPlan(port, binds.get(port), ImmutableList.copyOf(servers))));
    return plans.build();
  }

  private static String duplicateHost(
      ServerHost host, int port, String owner, String serverName, ServerKind kind) {
    String why =
        kind.isTls()
            ? "TLS servers on one port are told apart by SNI, and Envoy cannot have two filter"
                + " chains for one SNI name"
            : "both servers share route config http." + port + ", which can hold a host once";
    return "host \""
        + host.host()
        + "\" on port "
        + port
        + " is already served by "
        + owner
        + "; "
        + why
        + ", so "
        + serverName
        + " does not get it. Remove the host from one of the two servers.";
  }

  private void reportConflict(
      String subject,
      String field,
      String serverName,
      ServerKind kind,
      BoundServer first,
      int port) {
    String advice =
        kind == ServerKind.PLAINTEXT_TCP && first.kind() == ServerKind.PLAINTEXT_TCP
            ? "plaintext TCP carries no host name or SNI to tell two servers apart"
            : "Istio does not merge plaintext and TLS servers, or a TCP server with any other, on"
                + " one port";
    diagnostics.error(
        subject,
        field + ".port",
        serverName
            + " ("
            + kind.description()
            + ") cannot share port "
            + port
            + " with "
            + first.label()
            + " ("
            + first.kind().description()
            + "): "
            + advice
            + ". This server is skipped; "
            + first.label()
            + " keeps the port. Move one of them to another port.");
  }

  private static String displayName(Gateway gateway, int index, Server server) {
    String name =
        server.port().name().isEmpty()
            ? "servers[" + index + "]"
            : "server " + server.port().name();
    return "Gateway " + Subjects.key(gateway.metadata()) + " " + name;
  }

  /** What kind of server this is, or empty (with a diagnostic) if the gateway cannot serve it. */
  private Optional<ServerKind> classify(Server server, String subject, String field) {
    Protocol protocol = server.port().protocol();
    Optional<ServerTlsSettings> tls = server.tls();
    boolean plaintextHttp =
        protocol == Protocol.HTTP || protocol == Protocol.HTTP2 || protocol == Protocol.GRPC;
    if (plaintextHttp) {
      // The parser allows only httpsRedirect here; it is applied per virtual host.
      return Optional.of(ServerKind.PLAINTEXT_HTTP);
    }
    if (protocol == Protocol.TCP && tls.isEmpty()) {
      return Optional.of(ServerKind.PLAINTEXT_TCP);
    }
    if ((protocol == Protocol.HTTPS || protocol == Protocol.TLS) && tls.isPresent()) {
      return switch (tls.get().mode()) {
        case PASSTHROUGH -> Optional.of(ServerKind.TLS_PASSTHROUGH);
        case SIMPLE, MUTUAL, OPTIONAL_MUTUAL, ISTIO_MUTUAL ->
            Optional.of(ServerKind.TLS_TERMINATED);
        case AUTO_PASSTHROUGH -> {
          diagnostics.warning(
              subject,
              field + ".tls.mode",
              "AUTO_PASSTHROUGH routes by Istio's internal cluster names for multi-network"
                  + " east-west traffic and has no meaning on an egress gateway; server "
                  + serverLabel(server)
                  + " is skipped. Use PASSTHROUGH with VirtualService tls routes.");
          yield Optional.empty();
        }
      };
    }
    if (protocol == Protocol.HTTPS || protocol == Protocol.TLS) {
      diagnostics.warning(
          subject,
          field + ".tls",
          "server "
              + serverLabel(server)
              + " has protocol "
              + protocol.wireName()
              + " but no tls block, so the gateway cannot tell whether to terminate TLS or pass"
              + " it through; it is skipped. Set tls.mode.");
      return Optional.empty();
    }
    diagnostics.warning(
        subject,
        field + ".port.protocol",
        "protocol "
            + protocol.wireName()
            + " is not supported on egress gateways; server "
            + serverLabel(server)
            + " is skipped. Use HTTP, HTTP2, GRPC, HTTPS, TLS or TCP.");
    return Optional.empty();
  }

  private static String serverLabel(Server server) {
    return server.port().name().isEmpty()
        ? "on port " + server.port().number()
        : "\"" + server.port().name() + "\"";
  }
}
