package dev.outpost.translator.model;

import com.google.common.collect.ImmutableList;
import java.util.Objects;
import java.util.Optional;

/**
 * A Kubernetes {@code Service} (core/v1): an in-cluster destination. The translator reads it as
 * Istio's Kubernetes registry does, as the host {@code NAME.NAMESPACE.svc.cluster.local} with the
 * Service's ports and the endpoints its EndpointSlices list.
 *
 * @param type {@code spec.type}
 * @param ports {@code spec.ports}, UDP and SCTP ports included (the translator skips them)
 * @param clusterIps {@code spec.clusterIPs} (or {@code clusterIP}); empty for a headless Service
 * @param externalName {@code spec.externalName} of an {@code ExternalName} Service
 */
public record KubeService(
    ObjectMeta metadata,
    Type type,
    ImmutableList<ServicePort> ports,
    ImmutableList<String> clusterIps,
    Optional<String> externalName) {

  public KubeService {
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(ports, "ports");
    Objects.requireNonNull(clusterIps, "clusterIps");
    Objects.requireNonNull(externalName, "externalName");
  }

  /** {@code spec.type}. */
  public enum Type {
    CLUSTER_IP,
    NODE_PORT,
    LOAD_BALANCER,
    EXTERNAL_NAME
  }

  /**
   * One {@code spec.ports[]} entry.
   *
   * @param name the port's name; empty only on a single-port Service
   * @param transport {@code protocol}: TCP (default), UDP or SCTP
   * @param appProtocol {@code appProtocol}, e.g. {@code http} or {@code kubernetes.io/h2c}
   * @param targetPort the numeric {@code targetPort}; empty when it names a container port (the
   *     EndpointSlices then carry the number)
   */
  public record ServicePort(
      String name,
      int port,
      String transport,
      Optional<String> appProtocol,
      Optional<Integer> targetPort) {
    public ServicePort {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(transport, "transport");
      Objects.requireNonNull(appProtocol, "appProtocol");
      Objects.requireNonNull(targetPort, "targetPort");
    }
  }
}
