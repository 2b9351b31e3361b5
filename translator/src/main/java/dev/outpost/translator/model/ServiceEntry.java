package dev.outpost.translator.model;

import com.google.common.collect.ImmutableList;
import java.util.Objects;
import java.util.Optional;

/**
 * Istio {@code ServiceEntry}: a service outside (or inside) the mesh that proxies may reach.
 *
 * @param hosts host names (FQDNs or wildcards), at least one
 * @param addresses virtual IPs or CIDRs of the service
 * @param ports the ports the service listens on
 * @param location whether the service is part of the mesh (default MESH_EXTERNAL)
 * @param resolution how endpoints are found (default NONE)
 * @param endpoints explicit endpoints; empty when the hosts themselves are resolved (DNS)
 * @param workloadSelector selects workloads as endpoints instead of {@code endpoints}
 * @param exportTo namespaces this entry is visible to (empty = all, as Istio's default)
 * @param subjectAltNames SANs the upstream certificate must carry (mesh mTLS)
 * @param source what declared the host: a ServiceEntry, or a Kubernetes Service the translator
 *     reads as one (as Istio's service registry does); diagnostics name the one the user wrote
 */
public record ServiceEntry(
    ObjectMeta metadata,
    ImmutableList<String> hosts,
    ImmutableList<String> addresses,
    ImmutableList<Port> ports,
    Location location,
    Resolution resolution,
    ImmutableList<WorkloadEntry> endpoints,
    Optional<WorkloadSelector> workloadSelector,
    ImmutableList<String> exportTo,
    ImmutableList<String> subjectAltNames,
    Source source) {

  public ServiceEntry {
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(hosts, "hosts");
    Objects.requireNonNull(addresses, "addresses");
    Objects.requireNonNull(ports, "ports");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(resolution, "resolution");
    Objects.requireNonNull(endpoints, "endpoints");
    Objects.requireNonNull(workloadSelector, "workloadSelector");
    Objects.requireNonNull(exportTo, "exportTo");
    Objects.requireNonNull(subjectAltNames, "subjectAltNames");
    Objects.requireNonNull(source, "source");
  }

  /** Where a registry entry comes from. */
  public enum Source {
    SERVICE_ENTRY("ServiceEntry"),
    KUBERNETES_SERVICE("Service");

    private final String kindName;

    Source(String kindName) {
      this.kindName = kindName;
    }

    /** The kind diagnostics name, e.g. {@code Service default/web}. */
    public String kindName() {
      return kindName;
    }
  }

  /** {@code spec.location}. */
  public enum Location {
    MESH_EXTERNAL,
    MESH_INTERNAL
  }

  /** {@code spec.resolution}. */
  public enum Resolution {
    NONE,
    STATIC,
    DNS,
    DNS_ROUND_ROBIN
  }
}
