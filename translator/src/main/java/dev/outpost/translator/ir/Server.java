package dev.outpost.translator.ir;

import com.google.common.collect.ImmutableList;
import java.util.Objects;

/**
 * A Gateway server that contributed to a port, kept for diagnostics and debugging.
 *
 * @param gateway {@code namespace/name} of the Gateway
 * @param name the server's port name, or {@code servers[i]} when it has none
 * @param protocol the port protocol, e.g. HTTP, HTTPS, TLS or TCP
 * @param hosts the server's hosts as written, e.g. {@code ./api.example.com}
 */
public record Server(String gateway, String name, String protocol, ImmutableList<String> hosts) {
  public Server {
    Objects.requireNonNull(gateway, "gateway");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(hosts, "hosts");
  }
}
