package dev.outpost.translator.ir;

import com.google.common.collect.ImmutableList;
import java.util.Objects;

/**
 * The routes for one host on one port. No routes means Envoy answers 404 for that host, the way
 * Istio's blackhole virtual host does.
 */
public record VirtualHost(String host, int port, ImmutableList<Route> routes) {
  public VirtualHost {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(routes, "routes");
  }

  /** Istio's virtual host name: {@code HOST:PORT}. */
  public String name() {
    return host + ":" + port;
  }
}
