package dev.outpost.translator.ir;

import com.google.common.collect.ImmutableList;
import java.util.Objects;

/**
 * One plaintext HTTP port of a gateway: the servers merged onto it (Istio's merge rule: every
 * plaintext HTTP server on a port shares one route config) and their virtual hosts.
 *
 * @param bindAddress the address the listener binds to; {@code 0.0.0.0} unless a server says
 *     otherwise
 */
public record HttpPort(
    int number,
    String bindAddress,
    ImmutableList<Server> servers,
    ImmutableList<VirtualHost> virtualHosts) {

  public HttpPort {
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(servers, "servers");
    Objects.requireNonNull(virtualHosts, "virtualHosts");
    if (number < 1 || number > 65535) {
      throw new IllegalArgumentException("port out of range: " + number);
    }
  }

  /** Istio's listener name, bind address and port: {@code 0.0.0.0_80}. */
  public String listenerName() {
    return bindAddress + "_" + number;
  }

  /** Istio's shared route config name for plaintext HTTP servers: {@code http.80}. */
  public String routeConfigName() {
    return "http." + number;
  }
}
