package dev.outpost.translator.parse;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.model.KubeEndpointSlice;
import dev.outpost.translator.model.KubeEndpointSlice.SliceEndpoint;
import dev.outpost.translator.model.KubeEndpointSlice.SlicePort;
import dev.outpost.translator.model.ObjectMeta;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a Kubernetes EndpointSlice (discovery.k8s.io/v1). As for Services, only what Outpost uses
 * is read; the checks catch what the API server would have refused, so that a hand-written slice
 * in file mode cannot put an address Envoy rejects into an endpoint list.
 */
final class EndpointSliceParser {
  private static final Set<String> ADDRESS_TYPES = Set.of("IPv4", "IPv6", "FQDN");

  private EndpointSliceParser() {}

  static KubeEndpointSlice parse(ObjectMeta meta, FieldReader root) {
    String addressType = root.requiredString("addressType");
    if (!addressType.isEmpty() && !ADDRESS_TYPES.contains(addressType)) {
      root.error("addressType", "\"" + addressType + "\" is not valid; use IPv4, IPv6 or FQDN");
    }
    ImmutableList.Builder<SlicePort> ports = ImmutableList.builder();
    for (FieldReader p : root.objects("ports")) {
      // A port without a number means "all ports" (a Service without a selector); nothing to route.
      p.port("port").ifPresent(n -> ports.add(new SlicePort(p.string("name").orElse(""), n)));
    }
    ImmutableList.Builder<SliceEndpoint> endpoints = ImmutableList.builder();
    for (FieldReader e : root.objects("endpoints")) {
      endpoints.add(endpoint(e, addressType));
    }
    return new KubeEndpointSlice(
        meta,
        Optional.ofNullable(meta.labels().get(KubeEndpointSlice.SERVICE_NAME_LABEL)),
        addressType,
        ports.build(),
        endpoints.build());
  }

  private static SliceEndpoint endpoint(FieldReader e, String addressType) {
    ImmutableList<String> addresses = e.strings("addresses");
    if (addresses.isEmpty()) {
      e.error("addresses", "is required: at least one address");
    }
    if (!addressType.equals("FQDN")) {
      for (int i = 0; i < addresses.size(); i++) {
        if (!AddressValidator.isIp(addresses.get(i))) {
          e.error(
              "addresses[" + i + "]",
              "\"" + addresses.get(i) + "\" is not an IP address (addressType " + addressType + ")");
        }
      }
    }
    boolean ready = e.object("conditions").flatMap(c -> c.bool("ready")).orElse(true);
    Optional<String> podName =
        e.object("targetRef")
            .filter(t -> t.string("kind").orElse("").equals("Pod"))
            .flatMap(t -> t.string("name"));
    return new SliceEndpoint(addresses, ready, podName, e.string("zone"));
  }
}
