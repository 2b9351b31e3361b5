package dev.outpost.translator.build;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.model.Gateway;
import dev.outpost.translator.model.Server;

/**
 * A Gateway server accepted onto a port, what kind of server it is, and the hosts it keeps after
 * duplicate hosts on the port were removed.
 */
record BoundServer(
    Gateway gateway, int index, Server server, ServerKind kind, ImmutableList<ServerHost> hosts) {

  /** A plaintext HTTP server whose requests are all redirected to https. */
  boolean httpsRedirect() {
    return kind == ServerKind.PLAINTEXT_HTTP
        && server.tls().map(t -> t.httpsRedirect()).orElse(false);
  }

  String subject() {
    return Subjects.of(gateway);
  }

  /** How diagnostics name the server: {@code Gateway ns/name server https}. */
  String label() {
    return "Gateway "
        + gatewayKey()
        + " "
        + (server.port().name().isEmpty()
            ? "servers[" + index + "]"
            : "server " + server.port().name());
  }

  /**
   * SNI names for the server's filter chain: its hosts without namespace; none when a host is
   * {@code *}, which must match any SNI and connections without one.
   */
  ImmutableList<String> sniHosts() {
    if (hosts.stream().anyMatch(h -> h.host().equals("*"))) {
      return ImmutableList.of();
    }
    return hosts.stream().map(ServerHost::host).distinct().collect(ImmutableList.toImmutableList());
  }

  String gatewayKey() {
    return Subjects.key(gateway.metadata());
  }

  String field() {
    return "spec.servers[" + index + "]";
  }

  /** The port name, or {@code servers[i]} when the server's port has none. */
  String displayName() {
    return server.port().name().isEmpty() ? "servers[" + index + "]" : server.port().name();
  }

  int port() {
    return server.port().number();
  }
}
