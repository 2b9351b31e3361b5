package dev.outpost.translator.ir;

import com.google.common.collect.ImmutableList;
import java.util.Objects;

/**
 * The routes for one host on one port. No routes means Envoy answers 404 for that host, the way
 * Istio's blackhole virtual host does.
 *
 * @param httpsRedirect the host belongs to a plaintext server with {@code tls.httpsRedirect}: every
 *     request is answered with a 301 to https instead of being routed
 */
public record VirtualHost(
    String host, int port, ImmutableList<Route> routes, boolean httpsRedirect) {
  public VirtualHost {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(routes, "routes");
  }

  public VirtualHost(String host, int port, ImmutableList<Route> routes) {
    this(host, port, routes, false);
  }

  /** Istio's virtual host name: {@code HOST:PORT}. */
  public String name() {
    return host + ":" + port;
  }
}
