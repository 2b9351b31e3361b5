package dev.outpost.translator.model;

import com.google.common.collect.ImmutableSortedMap;
import java.util.Optional;

/**
 * One endpoint of a ServiceEntry ({@code spec.endpoints[]}).
 *
 * @param address IP address, host name (DNS resolution) or {@code unix://} path; empty only for
 *     endpoints that are reached through a network gateway
 * @param ports port name (of the ServiceEntry's ports) to the port number on this endpoint
 * @param labels labels used by DestinationRule subsets to pick endpoints
 * @param network the network the endpoint is in
 * @param locality {@code region/zone/subzone}
 * @param weight load-balancing weight (Istio default: 1)
 * @param serviceAccount the endpoint's service account, for mesh mTLS
 */
public record WorkloadEntry(
    String address,
    ImmutableSortedMap<String, Integer> ports,
    ImmutableSortedMap<String, String> labels,
    Optional<String> network,
    Optional<String> locality,
    Optional<Integer> weight,
    Optional<String> serviceAccount) {}
