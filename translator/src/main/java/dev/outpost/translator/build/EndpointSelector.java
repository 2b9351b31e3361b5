package dev.outpost.translator.build;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.ir.Endpoint;
import dev.outpost.translator.model.Port;
import dev.outpost.translator.model.ServiceEntry;
import dev.outpost.translator.model.WorkloadEntry;
import java.util.Map;

/**
 * A ServiceEntry's endpoints for one port and subset. The port on an endpoint is, in order: the
 * endpoint's own {@code ports[portName]}, the ServiceEntry port's {@code targetPort}, the port
 * number. A DNS entry without endpoints resolves the host itself.
 */
final class EndpointSelector {
  private EndpointSelector() {}

  static ImmutableList<Endpoint> select(
      ServiceEntry se, String host, Port port, Map<String, String> subsetLabels) {
    if (se.endpoints().isEmpty()) {
      boolean dns =
          se.resolution() == ServiceEntry.Resolution.DNS
              || se.resolution() == ServiceEntry.Resolution.DNS_ROUND_ROBIN;
      return dns
          ? ImmutableList.of(Endpoint.of(host, port.targetPort().orElse(port.number())))
          : ImmutableList.of();
    }
    ImmutableList.Builder<Endpoint> out = ImmutableList.builder();
    for (WorkloadEntry entry : se.endpoints()) {
      if (!hasLabels(entry, subsetLabels)) {
        continue;
      }
      // An unnamed port (a single-port Kubernetes Service) is keyed "" in the endpoint's ports.
      Integer own = entry.ports().get(port.name());
      int number = own != null ? own : port.targetPort().orElse(port.number());
      out.add(
          new Endpoint(
              entry.address(),
              number,
              entry.weight().orElse(0),
              entry.locality().orElse(""),
              entry.labels()));
    }
    return out.build();
  }

  private static boolean hasLabels(WorkloadEntry entry, Map<String, String> required) {
    for (Map.Entry<String, String> label : required.entrySet()) {
      if (!label.getValue().equals(entry.labels().get(label.getKey()))) {
        return false;
      }
    }
    return true;
  }
}
