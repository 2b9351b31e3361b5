package dev.outpost.translator.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import dev.outpost.translator.model.ObjectMeta;
import dev.outpost.translator.model.Port;
import dev.outpost.translator.model.ServiceEntry;
import dev.outpost.translator.model.ServiceEntry.Location;
import dev.outpost.translator.model.ServiceEntry.Resolution;
import dev.outpost.translator.model.WorkloadEntry;
import dev.outpost.translator.model.WorkloadSelector;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads and validates a ServiceEntry spec, following Istio's ServiceEntry validation. */
final class ServiceEntryParser {
  private static final String UNIX = "unix://";

  private ServiceEntryParser() {}

  static ServiceEntry parse(ObjectMeta meta, FieldReader spec) {
    ImmutableList<String> hosts = Fields.hosts(spec, "hosts", false);
    if (spec.isMissingOrEmpty("hosts")) {
      spec.error("hosts", "is required: list at least one host, e.g. api.example.com");
    }
    ImmutableList<String> addresses = Fields.ipsOrCidrs(spec, "addresses");
    ImmutableList<Port> ports = ports(spec);
    Location location = spec.enumValue("location", Location.class).orElse(Location.MESH_EXTERNAL);
    Resolution resolution = spec.enumValue("resolution", Resolution.class).orElse(Resolution.NONE);
    Set<String> portNames = new HashSet<>();
    ports.forEach(p -> portNames.add(p.name()));
    ImmutableList<WorkloadEntry> endpoints = endpoints(spec, resolution, portNames);
    Optional<WorkloadSelector> selector = Fields.workloadSelector(spec, "labels");
    spec.notSupportedYet("workloadSelector");
    ImmutableList<String> exportTo = Fields.exportTo(spec, true);
    ImmutableList<String> subjectAltNames = spec.strings("subjectAltNames");
    spec.finish();

    if (selector.isPresent() && !endpoints.isEmpty()) {
      spec.error("workloadSelector", "cannot be used together with endpoints; use one of them");
    }
    checkResolution(spec, hosts, endpoints, resolution, selector.isPresent());
    checkSelfHosts(spec, endpoints, resolution);
    return new ServiceEntry(
        meta,
        hosts,
        addresses,
        ports,
        location,
        resolution,
        endpoints,
        selector,
        exportTo,
        subjectAltNames,
        ServiceEntry.Source.SERVICE_ENTRY);
  }

  private static ImmutableList<Port> ports(FieldReader spec) {
    ImmutableList.Builder<Port> out = ImmutableList.builder();
    Set<Integer> numbers = new HashSet<>();
    Set<String> names = new HashSet<>();
    List<FieldReader> readers = spec.objects("ports");
    if (spec.isMissingOrEmpty("ports")) {
      spec.error(
          "ports",
          "is required: list at least one port, e.g. {number: 443, name: https, protocol: TLS}");
    }
    for (FieldReader p : readers) {
      Fields.port(p, true)
          .ifPresent(
              port -> {
                if (!port.name().isEmpty() && !Names.isDns1123Label(port.name())) {
                  p.error(
                      "name",
                      "\""
                          + port.name()
                          + "\" is not a valid port name (a DNS-1123 label such as \"https\")");
                }
                if (!numbers.add(port.number())) {
                  p.error("number", "port " + port.number() + " is declared twice");
                }
                if (!port.name().isEmpty() && !names.add(port.name())) {
                  p.error("name", "port name \"" + port.name() + "\" is used twice");
                }
                out.add(port);
              });
    }
    return out.build();
  }

  private static ImmutableList<WorkloadEntry> endpoints(
      FieldReader spec, Resolution resolution, Set<String> portNames) {
    ImmutableList.Builder<WorkloadEntry> out = ImmutableList.builder();
    for (FieldReader e : spec.objects("endpoints")) {
      String address = e.string("address").orElse("");
      checkAddress(e, address, resolution);
      SelfAddresses.kind(address)
          .ifPresent(kind -> e.warning("address", SelfAddresses.warning(address, kind)));
      ImmutableSortedMap.Builder<String, Integer> ports = ImmutableSortedMap.naturalOrder();
      for (FieldReader.Element entry : e.entries("ports")) {
        Optional<Integer> n = endpointPort(e, entry);
        n.ifPresent(v -> ports.put(entry.key(), v));
        if (!portNames.contains(entry.key())) {
          e.findings()
              .warning(
                  entry.path(),
                  "\""
                      + entry.key()
                      + "\" is not the name of any port of this ServiceEntry; it has no effect");
        }
      }
      ImmutableSortedMap<String, String> labels = Fields.labels(e, "labels");
      Optional<String> network = e.string("network");
      e.notSupportedYet("network");
      Optional<String> locality = e.string("locality");
      Optional<Integer> weight = e.nonNegative("weight");
      Optional<String> serviceAccount = e.string("serviceAccount");
      e.finish();
      out.add(
          new WorkloadEntry(
              address, ports.build(), labels, network, locality, weight, serviceAccount));
    }
    return out.build();
  }

  private static Optional<Integer> endpointPort(FieldReader e, FieldReader.Element entry) {
    JsonNode n = entry.node();
    if (n.isIntegralNumber() && n.canConvertToInt() && n.intValue() >= 1 && n.intValue() <= 65535) {
      return Optional.of(n.intValue());
    }
    String problem =
        n.isTextual()
            ? FieldReader.quotedNumber(n.textValue())
            : n.isIntegralNumber()
                ? n.asText() + " is not a valid port number; it must be 1-65535"
                : "must be a port number 1-65535, but is " + FieldReader.describe(n);
    e.findings().error(entry.path(), problem);
    return Optional.empty();
  }

  /**
   * With DNS resolution and no endpoints the hosts themselves are resolved: warns for a host that
   * resolves to the gateway itself.
   */
  private static void checkSelfHosts(
      FieldReader spec, List<WorkloadEntry> endpoints, Resolution resolution) {
    if (!endpoints.isEmpty()
        || (resolution != Resolution.DNS && resolution != Resolution.DNS_ROUND_ROBIN)) {
      return;
    }
    // The raw list, so that the index is right even where an invalid host was left out.
    JsonNode hosts = spec.value("hosts").orElse(MissingNode.getInstance());
    for (int i = 0; i < hosts.size(); i++) {
      String host = hosts.get(i).asText("");
      String at = spec.path("hosts") + "[" + i + "]";
      SelfAddresses.kind(host)
          .ifPresent(
              kind ->
                  spec.findings()
                      .warning(
                          at,
                          SelfAddresses.warning(host, kind)
                              + "; with "
                              + resolution
                              + " resolution and no endpoints the host is what is resolved"));
    }
  }

  private static void checkAddress(FieldReader e, String address, Resolution resolution) {
    if (address.isEmpty()) {
      e.error(
          "address",
          "is required (an IP address"
              + (resolution.name().startsWith("DNS") ? " or host name" : "")
              + ")");
      return;
    }
    if (address.startsWith(UNIX)) {
      String path = address.substring(UNIX.length());
      if (!path.startsWith("/") && !path.startsWith("@") || path.endsWith("/")) {
        e.error(
            "address",
            "\"" + address + "\" must be unix:// followed by an absolute path to a socket file");
      }
      return;
    }
    boolean ip = AddressValidator.isIp(address);
    // STATIC and NONE endpoints become EDS endpoints, which Envoy never resolves: they must be IPs.
    if ((resolution == Resolution.STATIC || resolution == Resolution.NONE) && !ip) {
      e.error(
          "address",
          "\""
              + address
              + "\" is not an IP address; "
              + resolution
              + " resolution needs IP endpoints (use DNS resolution for host names)");
    } else if (!ip) {
      HostValidator.checkConcreteHost(address).ifPresent(msg -> e.error("address", msg));
    }
  }

  private static void checkResolution(
      FieldReader spec,
      List<String> hosts,
      List<WorkloadEntry> endpoints,
      Resolution resolution,
      boolean hasSelector) {
    switch (resolution) {
      case DNS, DNS_ROUND_ROBIN -> {
        if (endpoints.isEmpty()) {
          for (int i = 0; i < hosts.size(); i++) {
            if (hosts.get(i).startsWith("*")) {
              spec.error(
                  "hosts[" + i + "]",
                  "wildcard host \""
                      + hosts.get(i)
                      + "\" cannot be resolved with "
                      + resolution
                      + " resolution and no endpoints; list endpoints or use resolution NONE");
            }
          }
        }
        if (resolution == Resolution.DNS_ROUND_ROBIN && endpoints.size() > 1) {
          spec.error(
              "endpoints",
              "DNS_ROUND_ROBIN resolution allows at most one endpoint; use DNS for several");
        }
      }
      case STATIC -> {
        if (endpoints.isEmpty() && !hasSelector) {
          spec.warning(
              "endpoints",
              "STATIC resolution without endpoints: traffic to this ServiceEntry has nowhere to"
                  + " go");
        }
      }
      case NONE -> {
        // Nothing beyond syntax: NONE forwards to the original destination address.
      }
    }
  }
}
