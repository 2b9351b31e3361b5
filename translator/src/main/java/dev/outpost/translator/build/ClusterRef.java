package dev.outpost.translator.build;

import dev.outpost.translator.ir.UpstreamCluster;
import dev.outpost.translator.model.DestinationRule;
import dev.outpost.translator.model.Port;
import dev.outpost.translator.model.ServiceEntry;
import java.util.Optional;

/**
 * A cluster some bound route needs: the ServiceEntry port it reaches, the subset, and the
 * DestinationRule that shapes it. Only referenced clusters are built (DESIGN.md section 4).
 */
record ClusterRef(
    ServiceEntry serviceEntry,
    String host,
    Port port,
    String subset,
    Optional<DestinationRule> rule) {

  String name() {
    return UpstreamCluster.outboundName(port.number(), subset, host);
  }
}
