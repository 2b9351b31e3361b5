package dev.outpost.translator.model;

import com.google.common.collect.ImmutableList;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An Istio {@code EnvoyFilter} (networking.istio.io v1alpha3), the subset gateways need: patches
 * applied to the generated listeners, route configurations and clusters after translation. The
 * parser has checked the shape (known applyTo, operation and context; a value where the operation
 * needs one); whether a value fits the Envoy type it patches is decided when it is applied.
 *
 * @param workloadSelector {@code spec.workloadSelector.labels}; empty: every proxy of the namespace
 *     (of the mesh, in the root namespace)
 * @param priority {@code spec.priority}; lower applies first, 0 when absent
 */
public record EnvoyFilter(
    ObjectMeta metadata,
    Optional<WorkloadSelector> workloadSelector,
    int priority,
    ImmutableList<Patch> configPatches) {

  public EnvoyFilter {
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(workloadSelector, "workloadSelector");
    Objects.requireNonNull(configPatches, "configPatches");
  }

  /** {@code configPatches[].applyTo}: the kind of object a patch changes. */
  public enum ApplyTo {
    LISTENER,
    FILTER_CHAIN,
    NETWORK_FILTER,
    HTTP_FILTER,
    ROUTE_CONFIGURATION,
    VIRTUAL_HOST,
    HTTP_ROUTE,
    CLUSTER;

    /**
     * The operations Istio implements for this kind of object (its envoyfilter patchers); Istio
     * ignores any other silently. The parser and the patcher both read this one table.
     */
    public java.util.Set<Operation> operations() {
      return switch (this) {
        case LISTENER, FILTER_CHAIN, CLUSTER ->
            java.util.EnumSet.of(Operation.MERGE, Operation.ADD, Operation.REMOVE);
        case NETWORK_FILTER, HTTP_FILTER -> java.util.EnumSet.allOf(Operation.class);
        case ROUTE_CONFIGURATION -> java.util.EnumSet.of(Operation.MERGE);
        case VIRTUAL_HOST ->
            java.util.EnumSet.of(
                Operation.MERGE, Operation.ADD, Operation.REMOVE, Operation.REPLACE);
        case HTTP_ROUTE ->
            java.util.EnumSet.of(
                Operation.MERGE,
                Operation.ADD,
                Operation.REMOVE,
                Operation.INSERT_BEFORE,
                Operation.INSERT_AFTER,
                Operation.INSERT_FIRST);
      };
    }
  }

  /** {@code configPatches[].patch.operation}. */
  public enum Operation {
    MERGE,
    ADD,
    REMOVE,
    INSERT_BEFORE,
    INSERT_AFTER,
    INSERT_FIRST,
    REPLACE
  }

  /** {@code configPatches[].match.context}; ANY when absent. */
  public enum Context {
    ANY,
    SIDECAR_INBOUND,
    SIDECAR_OUTBOUND,
    GATEWAY
  }

  /**
   * One {@code configPatches[]} entry.
   *
   * @param index its position in {@code spec.configPatches}, for diagnostics
   * @param valueJson {@code patch.value} as JSON text (from YAML or JSON input), with any {@code
   *     @type} left for the patcher to resolve; empty for REMOVE
   */
  public record Patch(
      int index,
      ApplyTo applyTo,
      Context context,
      Optional<ListenerMatch> listener,
      Optional<RouteConfigurationMatch> routeConfiguration,
      Optional<ClusterMatch> cluster,
      Operation operation,
      Optional<String> valueJson) {
    public Patch {
      Objects.requireNonNull(applyTo, "applyTo");
      Objects.requireNonNull(context, "context");
      Objects.requireNonNull(listener, "listener");
      Objects.requireNonNull(routeConfiguration, "routeConfiguration");
      Objects.requireNonNull(cluster, "cluster");
      Objects.requireNonNull(operation, "operation");
      Objects.requireNonNull(valueJson, "valueJson");
    }
  }

  /** {@code match.listener}: every field present must match. */
  public record ListenerMatch(
      OptionalInt portNumber, Optional<String> name, Optional<FilterChainMatch> filterChain) {
    public ListenerMatch {
      Objects.requireNonNull(portNumber, "portNumber");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(filterChain, "filterChain");
    }
  }

  /**
   * {@code match.listener.filterChain}.
   *
   * @param sni matches a chain whose {@code server_names} contain it
   * @param transportProtocol {@code raw_buffer} or {@code tls}
   */
  public record FilterChainMatch(
      Optional<String> name,
      Optional<String> sni,
      Optional<String> transportProtocol,
      Optional<FilterMatch> filter) {
    public FilterChainMatch {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(sni, "sni");
      Objects.requireNonNull(transportProtocol, "transportProtocol");
      Objects.requireNonNull(filter, "filter");
    }
  }

  /**
   * {@code match.listener.filterChain.filter}: a network filter by name, and optionally an HTTP
   * filter inside it ({@code subFilter.name}).
   */
  public record FilterMatch(String name, Optional<String> subFilter) {
    public FilterMatch {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(subFilter, "subFilter");
    }
  }

  /**
   * {@code match.routeConfiguration}.
   *
   * @param gateway {@code namespace/name} of the Gateway whose server produced the route config
   */
  public record RouteConfigurationMatch(
      OptionalInt portNumber,
      Optional<String> portName,
      Optional<String> gateway,
      Optional<String> name,
      Optional<VirtualHostMatch> vhost) {
    public RouteConfigurationMatch {
      Objects.requireNonNull(portNumber, "portNumber");
      Objects.requireNonNull(portName, "portName");
      Objects.requireNonNull(gateway, "gateway");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(vhost, "vhost");
    }
  }

  /** {@code match.routeConfiguration.vhost}: by name, and optionally one route by name. */
  public record VirtualHostMatch(Optional<String> name, Optional<String> routeName) {
    public VirtualHostMatch {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(routeName, "routeName");
    }
  }

  /** {@code match.cluster}: by name, or by the parts of Istio's {@code outbound|PORT|SUBSET|HOST}. */
  public record ClusterMatch(
      OptionalInt portNumber,
      Optional<String> service,
      Optional<String> subset,
      Optional<String> name) {
    public ClusterMatch {
      Objects.requireNonNull(portNumber, "portNumber");
      Objects.requireNonNull(service, "service");
      Objects.requireNonNull(subset, "subset");
      Objects.requireNonNull(name, "name");
    }
  }
}
