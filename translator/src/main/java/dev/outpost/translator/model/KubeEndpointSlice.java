package dev.outpost.translator.model;

import com.google.common.collect.ImmutableList;
import java.util.Objects;
import java.util.Optional;

/**
 * A Kubernetes {@code EndpointSlice} (discovery.k8s.io/v1): part of the endpoints of the Service
 * named by its {@code kubernetes.io/service-name} label.
 *
 * @param serviceName the owning Service (label {@code kubernetes.io/service-name}); empty when the
 *     slice belongs to no Service
 * @param addressType {@code IPv4}, {@code IPv6} or {@code FQDN}
 * @param ports the Service port names with the port number on these endpoints
 */
public record KubeEndpointSlice(
    ObjectMeta metadata,
    Optional<String> serviceName,
    String addressType,
    ImmutableList<SlicePort> ports,
    ImmutableList<SliceEndpoint> endpoints) {

  /** The label that ties a slice to its Service. */
  public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

  public KubeEndpointSlice {
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(serviceName, "serviceName");
    Objects.requireNonNull(addressType, "addressType");
    Objects.requireNonNull(ports, "ports");
    Objects.requireNonNull(endpoints, "endpoints");
  }

  /** {@code ports[]}: a Service port (by name; empty for an unnamed one) resolved to a number. */
  public record SlicePort(String name, int port) {
    public SlicePort {
      Objects.requireNonNull(name, "name");
    }
  }

  /**
   * {@code endpoints[]}.
   *
   * @param ready {@code conditions.ready}; an absent condition means ready, as the API documents
   * @param podName {@code targetRef.name} when the target is a Pod
   * @param zone {@code zone}
   */
  public record SliceEndpoint(
      ImmutableList<String> addresses, boolean ready, Optional<String> podName, Optional<String> zone) {
    public SliceEndpoint {
      Objects.requireNonNull(addresses, "addresses");
      Objects.requireNonNull(podName, "podName");
      Objects.requireNonNull(zone, "zone");
    }
  }
}
