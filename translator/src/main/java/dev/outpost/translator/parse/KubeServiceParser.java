package dev.outpost.translator.parse;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.outpost.translator.model.KubeService;
import dev.outpost.translator.model.KubeService.ServicePort;
import dev.outpost.translator.model.KubeService.Type;
import dev.outpost.translator.model.ObjectMeta;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a Kubernetes Service. The API server has validated what it serves, so only the fields
 * Outpost uses are read and nothing else is reported as unknown; the checks here catch the
 * mistakes a hand-written file in file mode can make, which the API server would have refused.
 */
final class KubeServiceParser {
  private static final Map<String, Type> TYPES =
      ImmutableMap.of(
          "ClusterIP", Type.CLUSTER_IP,
          "NodePort", Type.NODE_PORT,
          "LoadBalancer", Type.LOAD_BALANCER,
          "ExternalName", Type.EXTERNAL_NAME);

  private KubeServiceParser() {}

  static KubeService parse(ObjectMeta meta, FieldReader root) {
    FieldReader spec =
        root.object("spec").orElseGet(() -> FieldReader.empty("spec", root.findings()));
    Type type = type(spec);
    ImmutableList<ServicePort> ports = ports(spec);
    Optional<String> externalName = spec.string("externalName").filter(s -> !s.isEmpty());
    if (type == Type.EXTERNAL_NAME) {
      if (externalName.isEmpty()) {
        spec.error("externalName", "is required for type ExternalName: the DNS name to resolve");
      } else {
        HostValidator.checkConcreteHost(externalName.get())
            .ifPresent(msg -> spec.error("externalName", msg));
      }
    }
    return new KubeService(meta, type, ports, clusterIps(spec), externalName);
  }

  private static Type type(FieldReader spec) {
    Optional<String> name = spec.string("type");
    if (name.isEmpty()) {
      return Type.CLUSTER_IP;
    }
    Type type = TYPES.get(name.get());
    if (type == null) {
      spec.error(
          "type",
          "\"" + name.get() + "\" is not a Service type; use one of " + String.join(", ", TYPES.keySet()));
      return Type.CLUSTER_IP;
    }
    return type;
  }

  private static ImmutableList<ServicePort> ports(FieldReader spec) {
    ImmutableList.Builder<ServicePort> out = ImmutableList.builder();
    var readers = spec.objects("ports");
    Set<String> names = new HashSet<>();
    for (FieldReader p : readers) {
      String name = p.string("name").orElse("");
      if (name.isEmpty() && readers.size() > 1) {
        p.error("name", "is required when a Service has more than one port");
      } else if (!name.isEmpty() && !Names.isDns1123Label(name)) {
        p.error("name", "\"" + name + "\" is not a valid port name (a DNS-1123 label such as \"http\")");
      } else if (!names.add(name)) {
        p.error("name", "port name \"" + name + "\" is used twice");
      }
      Optional<Integer> number = p.port("port");
      if (!p.has("port")) {
        p.error("port", "is required");
      }
      Optional<Integer> target = targetPort(p);
      number.ifPresent(
          n ->
              out.add(
                  new ServicePort(
                      name,
                      n,
                      p.string("protocol").orElse("TCP"),
                      p.string("appProtocol").filter(s -> !s.isEmpty()),
                      target)));
    }
    return out.build();
  }

  /** A numeric targetPort; a named one (a container port name) is resolved by the EndpointSlices. */
  private static Optional<Integer> targetPort(FieldReader p) {
    return p.value("targetPort").filter(v -> !v.isTextual()).flatMap(v -> p.port("targetPort"));
  }

  private static ImmutableList<String> clusterIps(FieldReader spec) {
    ImmutableList<String> listed =
        spec.has("clusterIPs")
            ? spec.strings("clusterIPs")
            : spec.string("clusterIP").map(ImmutableList::of).orElse(ImmutableList.of());
    // "None" marks a headless Service: no virtual IP, clients reach the endpoints directly.
    return listed.stream()
        .filter(ip -> !ip.isEmpty() && !ip.equals("None"))
        .filter(AddressValidator::isIp)
        .collect(ImmutableList.toImmutableList());
  }
}
