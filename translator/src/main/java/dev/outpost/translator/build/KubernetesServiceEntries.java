package dev.outpost.translator.build;

import com.google.common.base.Splitter;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import dev.outpost.translator.model.ConfigSnapshot;
import dev.outpost.translator.model.KubeEndpointSlice;
import dev.outpost.translator.model.KubeEndpointSlice.SliceEndpoint;
import dev.outpost.translator.model.KubeEndpointSlice.SlicePort;
import dev.outpost.translator.model.KubePod;
import dev.outpost.translator.model.KubeService;
import dev.outpost.translator.model.KubeService.ServicePort;
import dev.outpost.translator.model.Port;
import dev.outpost.translator.model.Protocol;
import dev.outpost.translator.model.ServiceEntry;
import dev.outpost.translator.model.WorkloadEntry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Kubernetes Services as registry entries, the way Istio's Kubernetes registry reads them: host
 * {@code NAME.NAMESPACE.svc.cluster.local}, the Service's TCP ports with the protocol from {@code
 * appProtocol} or the port name's prefix ({@code http-web} is HTTP), endpoints from the ready
 * endpoints of the Service's EndpointSlices, each with its pod's labels (for DestinationRule
 * subsets) and service account (the identity {@code ISTIO_MUTUAL} verifies). An {@code
 * ExternalName} Service resolves its external name by DNS. {@code networking.istio.io/exportTo}
 * on the Service limits who sees it, as in Istio.
 */
final class KubernetesServiceEntries {
  /** Istio's annotation for a Service's visibility: a comma-separated exportTo list. */
  static final String EXPORT_TO_ANNOTATION = "networking.istio.io/exportTo";

  private KubernetesServiceEntries() {}

  static ImmutableList<ServiceEntry> of(ConfigSnapshot snapshot) {
    if (snapshot.services().isEmpty()) {
      return ImmutableList.of();
    }
    Map<String, List<KubeEndpointSlice>> slicesByService = new HashMap<>();
    for (KubeEndpointSlice slice : snapshot.endpointSlices()) {
      slice
          .serviceName()
          .ifPresent(
              name ->
                  slicesByService
                      .computeIfAbsent(key(slice.metadata().namespace(), name), k -> new ArrayList<>())
                      .add(slice));
    }
    Map<String, KubePod> pods = new HashMap<>();
    for (KubePod pod : snapshot.pods()) {
      pods.put(key(pod.metadata().namespace(), pod.metadata().name()), pod);
    }
    ImmutableList.Builder<ServiceEntry> out = ImmutableList.builder();
    for (KubeService service : snapshot.services()) {
      String namespace = service.metadata().namespace();
      List<KubeEndpointSlice> slices =
          slicesByService.getOrDefault(key(namespace, service.metadata().name()), List.of());
      out.add(entry(service, slices, pods));
    }
    return out.build();
  }

  private static ServiceEntry entry(
      KubeService service, List<KubeEndpointSlice> slices, Map<String, KubePod> pods) {
    String namespace = service.metadata().namespace();
    boolean externalName = service.type() == KubeService.Type.EXTERNAL_NAME;
    ImmutableList<Port> ports =
        service.ports().stream()
            .filter(p -> p.transport().equals("TCP"))
            .map(p -> new Port(p.port(), protocol(p), p.name(), externalName ? Optional.empty() : p.targetPort()))
            .collect(ImmutableList.toImmutableList());
    ImmutableList<WorkloadEntry> endpoints =
        externalName
            ? ImmutableList.of(dnsEndpoint(service.externalName().orElseThrow()))
            : endpoints(namespace, slices, pods);
    return new ServiceEntry(
        service.metadata(),
        ImmutableList.of(service.metadata().name() + "." + namespace + "." + Hosts.CLUSTER_DOMAIN),
        service.clusterIps(),
        ports,
        externalName ? ServiceEntry.Location.MESH_EXTERNAL : ServiceEntry.Location.MESH_INTERNAL,
        externalName ? ServiceEntry.Resolution.DNS : ServiceEntry.Resolution.STATIC,
        endpoints,
        Optional.empty(),
        exportTo(service),
        ImmutableList.of(),
        ServiceEntry.Source.KUBERNETES_SERVICE);
  }

  /**
   * Ready endpoints of IP slices, one per address (the API says an endpoint's addresses are
   * fungible and consumers may use the first), sorted by address so that a slice reshuffle by the
   * endpoint controller does not change the config.
   */
  private static ImmutableList<WorkloadEntry> endpoints(
      String namespace, List<KubeEndpointSlice> slices, Map<String, KubePod> pods) {
    Map<String, WorkloadEntry> byAddress = new LinkedHashMap<>();
    slices.stream()
        .filter(s -> !s.addressType().equals("FQDN"))
        .sorted(Comparator.comparing(s -> s.metadata().name()))
        .forEach(
            slice -> {
              ImmutableSortedMap<String, Integer> ports = ports(slice);
              for (SliceEndpoint endpoint : slice.endpoints()) {
                if (!endpoint.ready() || endpoint.addresses().isEmpty()) {
                  continue;
                }
                Optional<KubePod> pod =
                    endpoint.podName().map(name -> pods.get(key(namespace, name)));
                byAddress.putIfAbsent(
                    endpoint.addresses().get(0),
                    new WorkloadEntry(
                        endpoint.addresses().get(0),
                        ports,
                        pod.map(p -> p.metadata().labels()).orElse(ImmutableSortedMap.of()),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        pod.map(KubePod::serviceAccount)));
              }
            });
    return byAddress.values().stream()
        .sorted(Comparator.comparing(WorkloadEntry::address))
        .collect(ImmutableList.toImmutableList());
  }

  private static ImmutableSortedMap<String, Integer> ports(KubeEndpointSlice slice) {
    ImmutableSortedMap.Builder<String, Integer> out = ImmutableSortedMap.naturalOrder();
    Map<String, Integer> seen = new HashMap<>();
    for (SlicePort port : slice.ports()) {
      if (seen.putIfAbsent(port.name(), port.port()) == null) {
        out.put(port.name(), port.port());
      }
    }
    return out.build();
  }

  private static WorkloadEntry dnsEndpoint(String host) {
    return new WorkloadEntry(
        host,
        ImmutableSortedMap.of(),
        ImmutableSortedMap.of(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  /**
   * Istio's protocol selection for a Service port: {@code appProtocol}, else the port name's
   * prefix before the first '-' ({@code grpc-web} as a whole). What Istio would sniff is TCP here:
   * Outpost does not detect protocols, and a TCP cluster carries HTTP/1.1 routes just as well.
   */
  static Protocol protocol(ServicePort port) {
    if (port.appProtocol().isPresent()) {
      String app = port.appProtocol().get().toLowerCase(Locale.ROOT);
      if (app.equals("kubernetes.io/h2c")) {
        return Protocol.HTTP2;
      }
      if (app.equals("kubernetes.io/ws") || app.equals("kubernetes.io/wss")) {
        return Protocol.HTTP;
      }
      Optional<Protocol> parsed = Protocol.parse(app).filter(p -> p != Protocol.UDP);
      if (parsed.isPresent()) {
        return parsed.get();
      }
    }
    String name = port.name().toLowerCase(Locale.ROOT);
    if (name.equals("grpc-web") || name.startsWith("grpc-web-")) {
      return Protocol.GRPC_WEB;
    }
    int dash = name.indexOf('-');
    return Protocol.parse(dash < 0 ? name : name.substring(0, dash))
        .filter(p -> p != Protocol.UDP && p != Protocol.HTTP_PROXY)
        .orElse(Protocol.TCP);
  }

  private static ImmutableList<String> exportTo(KubeService service) {
    String value = service.metadata().annotations().get(EXPORT_TO_ANNOTATION);
    if (value == null || value.isBlank()) {
      return ImmutableList.of();
    }
    return ImmutableList.copyOf(Splitter.on(',').trimResults().omitEmptyStrings().split(value));
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }
}
