package dev.outpost.translator.model;

import java.util.Objects;
import java.util.Optional;

/**
 * A port declared by a ServiceEntry ({@code ServicePort}) or a Gateway server ({@code Port}); both
 * have the same shape in Istio.
 *
 * @param number the port number, 1-65535
 * @param protocol the protocol on this port
 * @param name the port's name (may be empty: Istio only requires it on Gateway servers)
 * @param targetPort the port on the endpoints, when it differs from {@code number}
 */
public record Port(int number, Protocol protocol, String name, Optional<Integer> targetPort) {
  public Port {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(targetPort, "targetPort");
  }
}
