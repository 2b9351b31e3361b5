package dev.outpost.translator.build;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.model.Gateway;
import dev.outpost.translator.model.Server;

/**
 * A Gateway server accepted onto a plaintext HTTP port, with the hosts it keeps after duplicate
 * hosts on the port were removed.
 */
record BoundServer(Gateway gateway, int index, Server server, ImmutableList<ServerHost> hosts) {

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
