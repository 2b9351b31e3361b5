package dev.outpost.translator.build;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.api.ProxyIdentity;
import dev.outpost.translator.api.ProxyRole;
import dev.outpost.translator.model.Gateway;
import java.util.Comparator;

/**
 * Which Gateways apply to a proxy. As in Istio (with {@code PILOT_SCOPE_GATEWAY_TO_NAMESPACE} off,
 * its default), a Gateway in any namespace applies to every gateway proxy whose labels include all
 * of the Gateway's {@code selector}; an empty selector selects every gateway proxy. Only proxies
 * with role GATEWAY get Gateways. Result is ordered by namespace/name.
 */
final class GatewaySelector {

  ImmutableList<Gateway> select(ImmutableList<Gateway> gateways, ProxyIdentity proxy) {
    if (proxy.role() != ProxyRole.GATEWAY) {
      return ImmutableList.of();
    }
    return gateways.stream()
        .filter(gateway -> selects(gateway, proxy))
        .sorted(Comparator.comparing(gateway -> gateway.metadata(), Subjects.KEY_ORDER))
        .collect(ImmutableList.toImmutableList());
  }

  static boolean selects(Gateway gateway, ProxyIdentity proxy) {
    return Labels.selects(gateway.selector(), proxy.labels());
  }

}
