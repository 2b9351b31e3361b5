package dev.outpost.translator.model;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import java.util.Objects;

/**
 * Istio {@code Gateway}: the ports, hosts and TLS settings that the selected gateway proxies
 * expose.
 *
 * @param selector labels of the proxies this gateway applies to
 * @param servers at least one server
 */
public record Gateway(
    ObjectMeta metadata,
    ImmutableSortedMap<String, String> selector,
    ImmutableList<Server> servers) {

  public Gateway {
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(selector, "selector");
    Objects.requireNonNull(servers, "servers");
  }
}
