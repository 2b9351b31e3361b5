package dev.outpost.translator.model;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import java.util.Optional;

/**
 * One {@code http[].match[]} entry; all conditions set must hold.
 *
 * @param headers header name (lower-cased) to match
 * @param withoutHeaders header name (lower-cased) that must NOT match
 * @param queryParams query parameter name to match (exact or regex only)
 * @param port the port the request came in on (the gateway server's port)
 * @param sourceLabels workload labels of the client (sidecars only; not supported yet)
 * @param gateways restricts this match to these gateways (overrides the VS's gateways)
 * @param ignoreUriCase match {@code uri} case-insensitively
 * @param sourceNamespace client namespace (sidecars only; not supported yet)
 */
public record HttpMatchRequest(
    Optional<String> name,
    Optional<StringMatch> uri,
    Optional<StringMatch> scheme,
    Optional<StringMatch> method,
    Optional<StringMatch> authority,
    ImmutableSortedMap<String, StringMatch> headers,
    ImmutableSortedMap<String, StringMatch> withoutHeaders,
    ImmutableSortedMap<String, StringMatch> queryParams,
    Optional<Integer> port,
    ImmutableSortedMap<String, String> sourceLabels,
    ImmutableList<String> gateways,
    boolean ignoreUriCase,
    Optional<String> sourceNamespace) {}
