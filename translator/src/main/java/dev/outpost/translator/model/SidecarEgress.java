package dev.outpost.translator.model;

import com.google.common.collect.ImmutableList;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code spec.egress} entry of a Sidecar ({@code IstioEgressListener}).
 *
 * @param port {@code port}: a listener the application addresses directly on that port; empty for
 *     the hosts reached through the proxy's HTTP proxy listener
 * @param bind {@code bind}: the address of that listener (Outpost's default: 127.0.0.1)
 * @param hosts {@code hosts} as written, {@code namespace/dnsName}: namespace {@code *} any,
 *     {@code .} the Sidecar's own, {@code ~} none; dnsName exact, {@code *.suffix} or {@code *}
 */
public record SidecarEgress(Optional<Port> port, Optional<String> bind, ImmutableList<String> hosts) {
  public SidecarEgress {
    Objects.requireNonNull(port, "port");
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(hosts, "hosts");
  }
}
