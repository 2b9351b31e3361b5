package dev.outpost.translator.model;

import com.google.common.collect.ImmutableList;
import java.util.Objects;

/**
 * Istio {@code VirtualService}: routing rules for traffic addressed to {@code hosts}.
 *
 * @param hosts destination hosts the rules apply to, at least one
 * @param gateways gateways ({@code name} = same namespace, or {@code namespace/name}) and/or the
 *     reserved {@code mesh}; empty means {@code mesh} only, as in Istio
 * @param exportTo namespaces this VirtualService is visible to (empty = all)
 * @param http HTTP routes, first match wins
 * @param tls TLS (SNI) routes for passthrough traffic
 * @param tcp TCP routes
 */
public record VirtualService(
    ObjectMeta metadata,
    ImmutableList<String> hosts,
    ImmutableList<String> gateways,
    ImmutableList<String> exportTo,
    ImmutableList<HttpRoute> http,
    ImmutableList<TlsRoute> tls,
    ImmutableList<TcpRoute> tcp) {

  public VirtualService {
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(hosts, "hosts");
    Objects.requireNonNull(gateways, "gateways");
    Objects.requireNonNull(exportTo, "exportTo");
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(tcp, "tcp");
  }
}
