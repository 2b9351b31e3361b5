package dev.outpost.translator.ir;

import com.google.common.collect.ImmutableSortedMap;
import java.util.Objects;

/**
 * One upstream address.
 *
 * @param address an IP (EDS) or a host name (DNS clusters)
 * @param weight 0 means unweighted
 * @param locality Istio's {@code region/zone/subzone}, empty when unknown
 */
public record Endpoint(
    String address,
    int port,
    int weight,
    String locality,
    ImmutableSortedMap<String, String> labels) {
  public Endpoint {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(locality, "locality");
    Objects.requireNonNull(labels, "labels");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("endpoint port out of range: " + port);
    }
  }

  public static Endpoint of(String address, int port) {
    return new Endpoint(address, port, 0, "", ImmutableSortedMap.of());
  }
}
