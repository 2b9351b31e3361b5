package dev.outpost.translator.patch;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.model.EnvoyFilter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.util.List;
import java.util.Optional;

/**
 * applyTo LISTENER, FILTER_CHAIN, NETWORK_FILTER and HTTP_FILTER: the patch goes to every listener
 * and filter chain its {@code match.listener} selects (the default filter chain included), as
 * Istio applies it.
 *
 * <ul>
 *   <li>LISTENER: ADD appends the value as a new listener (no match needed); MERGE and REMOVE act
 *       on the matched listeners.
 *   <li>FILTER_CHAIN: ADD appends the value to each matched listener; MERGE (a {@code
 *       transport_socket} of the same name merges its TLS context) and REMOVE act on the matched
 *       chains.
 *   <li>NETWORK_FILTER, HTTP_FILTER: see {@link NetworkFilterPatcher}, {@link HttpFilterPatcher}.
 * </ul>
 */
final class ListenerPatcher {
  private final NetworkFilterPatcher networkFilters = new NetworkFilterPatcher();
  private final HttpFilterPatcher httpFilters = new HttpFilterPatcher();

  ImmutableList<Listener> apply(List<Listener> listeners, ParsedPatch patch, Hits hits)
      throws PatchException {
    EnvoyFilter.ApplyTo applyTo = patch.patch().applyTo();
    Optional<EnvoyFilter.ListenerMatch> match = patch.patch().listener();
    if (applyTo == EnvoyFilter.ApplyTo.LISTENER && patch.operation() == EnvoyFilter.Operation.ADD) {
      return ImmutableList.copyOf(ListEdits.append(listeners, patch.value(Listener.class), hits));
    }
    ImmutableList.Builder<Listener> out = ImmutableList.builder();
    for (Listener listener : listeners) {
      if (!ListenerMatching.listener(listener, match)) {
        out.add(listener);
      } else if (applyTo == EnvoyFilter.ApplyTo.LISTENER) {
        listenerLevel(listener, patch, hits).ifPresent(out::add);
      } else {
        out.add(chains(listener, patch, hits));
      }
    }
    return out.build();
  }

  /** MERGE or REMOVE of a matched listener; empty when removed. */
  private static Optional<Listener> listenerLevel(Listener listener, ParsedPatch patch, Hits hits) {
    hits.hit();
    return switch (patch.operation()) {
      case REMOVE -> Optional.empty();
      case MERGE -> Optional.of(ProtoMerge.merge(listener, patch.value(Listener.class)));
      default -> throw unsupported(patch);
    };
  }

  private Listener chains(Listener listener, ParsedPatch patch, Hits hits) throws PatchException {
    if (patch.patch().applyTo() == EnvoyFilter.ApplyTo.FILTER_CHAIN
        && patch.operation() == EnvoyFilter.Operation.ADD) {
      hits.hit();
      return listener.toBuilder().addFilterChains(patch.value(FilterChain.class)).build();
    }
    Optional<EnvoyFilter.ListenerMatch> match = patch.patch().listener();
    Listener.Builder out = listener.toBuilder().clearFilterChains();
    for (FilterChain chain : listener.getFilterChainsList()) {
      if (!ListenerMatching.chain(chain, match)) {
        out.addFilterChains(chain);
      } else {
        chain(chain, patch, hits).ifPresent(out::addFilterChains);
      }
    }
    if (listener.hasDefaultFilterChain()
        && ListenerMatching.chain(listener.getDefaultFilterChain(), match)) {
      Optional<FilterChain> patched = chain(listener.getDefaultFilterChain(), patch, hits);
      if (patched.isPresent()) {
        out.setDefaultFilterChain(patched.get());
      } else {
        out.clearDefaultFilterChain();
      }
    }
    return out.build();
  }

  /** One matched chain patched; empty when a FILTER_CHAIN REMOVE removes it. */
  private Optional<FilterChain> chain(FilterChain chain, ParsedPatch patch, Hits hits)
      throws PatchException {
    return switch (patch.patch().applyTo()) {
      case FILTER_CHAIN -> {
        hits.hit();
        yield switch (patch.operation()) {
          case REMOVE -> Optional.empty();
          case MERGE -> Optional.of(mergeChain(chain, patch.value(FilterChain.class)));
          default -> throw unsupported(patch);
        };
      }
      case NETWORK_FILTER -> Optional.of(networkFilters.apply(chain, patch, hits));
      case HTTP_FILTER -> Optional.of(httpFilters.apply(chain, patch, hits));
      default -> throw unsupported(patch);
    };
  }

  private static FilterChain mergeChain(FilterChain chain, FilterChain patch)
      throws PatchException {
    if (!patch.hasTransportSocket() || !chain.hasTransportSocket()) {
      return ProtoMerge.merge(chain, patch);
    }
    FilterChain merged = ProtoMerge.merge(chain, patch.toBuilder().clearTransportSocket().build());
    return merged.toBuilder()
        .setTransportSocket(
            TransportSocketMerge.merge(
                chain.getTransportSocket(),
                patch.getTransportSocket(),
                "patch.value.transport_socket"))
        .build();
  }

  private static IllegalStateException unsupported(ParsedPatch patch) {
    // SupportedOperations keeps these from reaching the patchers.
    return new IllegalStateException(
        patch.operation() + " on " + patch.patch().applyTo() + " reached the listener patcher");
  }
}
