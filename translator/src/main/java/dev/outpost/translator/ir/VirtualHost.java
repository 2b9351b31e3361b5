package dev.outpost.translator.ir;

import com.google.common.collect.ImmutableList;
import java.util.Objects;

/**
 * The routes for one host on one port. No routes means Envoy answers 404 for that host, the way
 * Istio's blackhole virtual host does.
 *
 * @param name Istio's virtual host name: {@code HOST:PORT}, or {@code block_all} / {@code
 *     allow_any} for a client proxy's catch-all
 * @param domains what Envoy matches the request's authority against: the host alone on gateways
 *     (whose route configs ignore the port), {@code HOST:PORT} (and the bare host for port 80) on
 *     client proxies, whose HTTP proxy listener serves every port and must tell them apart
 * @param httpsRedirect the host belongs to a plaintext server with {@code tls.httpsRedirect}: every
 *     request is answered with a 301 to https instead of being routed
 */
public record VirtualHost(
    String name,
    ImmutableList<String> domains,
    String host,
    int port,
    ImmutableList<Route> routes,
    boolean httpsRedirect) {
  /** The domain of a client proxy's catch-all virtual host. */
  public static final String ANY_DOMAIN = "*";

  public VirtualHost {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(domains, "domains");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(routes, "routes");
    if (domains.isEmpty()) {
      throw new IllegalArgumentException("a virtual host needs a domain: " + name);
    }
  }

  /** A gateway's virtual host: named {@code HOST:PORT}, matched by the host alone. */
  public VirtualHost(String host, int port, ImmutableList<Route> routes, boolean httpsRedirect) {
    this(host + ":" + port, ImmutableList.of(host), host, port, routes, httpsRedirect);
  }

  public VirtualHost(String host, int port, ImmutableList<Route> routes) {
    this(host, port, routes, false);
  }

  /**
   * A client proxy's virtual host for a host and port it may reach: the authority an application
   * sends through an HTTP proxy carries the port unless it is the scheme's default, so port 80 also
   * matches the bare host ({@code curl http://api.example.com/}).
   */
  public static VirtualHost forClient(String host, int port, ImmutableList<Route> routes) {
    ImmutableList<String> domains =
        port == 80
            ? ImmutableList.of(host, host + ":" + port)
            : ImmutableList.of(host + ":" + port);
    return new VirtualHost(host + ":" + port, domains, host, port, routes, false);
  }

  /**
   * A virtual host of a client proxy's port listener: every host there shares the port, so the
   * application may send the Host header with or without it.
   */
  public static VirtualHost forPortListener(String host, int port, ImmutableList<Route> routes) {
    return new VirtualHost(
        host + ":" + port, ImmutableList.of(host, host + ":" + port), host, port, routes, false);
  }

  /** A client proxy's virtual host for every authority no other virtual host matches. */
  public static VirtualHost catchAll(String name, int port, ImmutableList<Route> routes) {
    return new VirtualHost(name, ImmutableList.of(ANY_DOMAIN), ANY_DOMAIN, port, routes, false);
  }
}
