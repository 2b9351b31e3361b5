package dev.outpost.translator.model;

import com.google.common.collect.ImmutableList;
import java.util.Optional;

/**
 * One {@code spec.servers[]} entry of a Gateway.
 *
 * @param port port, protocol and name of the listener
 * @param bind IP or unix socket the listener binds to (default 0.0.0.0)
 * @param hosts host names exposed, each {@code host} or {@code namespace/host} ({@code *}, {@code
 *     .} and {@code ~} allowed as namespace), at least one
 * @param tls TLS settings; present for HTTPS/TLS servers or for an HTTP server's httpsRedirect
 * @param name optional server name (used in route-config names for HTTPS servers)
 * @param defaultEndpoint loopback endpoint for traffic (sidecar-only in Istio)
 */
public record Server(
    Port port,
    Optional<String> bind,
    ImmutableList<String> hosts,
    Optional<ServerTlsSettings> tls,
    Optional<String> name,
    Optional<String> defaultEndpoint) {}
