package dev.outpost.translator.patch;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.outpost.translator.model.EnvoyFilter;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * applyTo HTTP_FILTER on one matched filter chain: the {@code http_filters} of each HTTP
 * connection manager in it that {@code filter.name} selects (none given: every one), edited by the
 * list operations relative to {@code filter.subFilter.name}, or MERGEd.
 */
final class HttpFilterPatcher {

  FilterChain apply(FilterChain chain, ParsedPatch patch, Hits hits) throws PatchException {
    Optional<EnvoyFilter.ListenerMatch> match = patch.patch().listener();
    List<Filter> filters = new ArrayList<>(chain.getFiltersList());
    boolean changed = false;
    for (int i = 0; i < filters.size(); i++) {
      Filter filter = filters.get(i);
      if (!FilterNames.same(FilterNames.HTTP_CONNECTION_MANAGER, filter.getName())
          || !ListenerMatching.networkFilter(filter, match)
          || !filter.getTypedConfig().is(HttpConnectionManager.class)) {
        continue;
      }
      HttpConnectionManager hcm;
      try {
        hcm = filter.getTypedConfig().unpack(HttpConnectionManager.class);
      } catch (InvalidProtocolBufferException e) {
        continue; // not a config Outpost emitted; nothing to patch in it
      }
      List<HttpFilter> httpFilters = hcm.getHttpFiltersList();
      List<HttpFilter> edited = edit(httpFilters, patch, hits);
      if (edited != httpFilters) {
        HttpConnectionManager patched =
            hcm.toBuilder().clearHttpFilters().addAllHttpFilters(edited).build();
        filters.set(i, filter.toBuilder().setTypedConfig(Any.pack(patched)).build());
        changed = true;
      }
    }
    return changed ? chain.toBuilder().clearFilters().addAllFilters(filters).build() : chain;
  }

  private static List<HttpFilter> edit(List<HttpFilter> httpFilters, ParsedPatch patch, Hits hits)
      throws PatchException {
    Optional<EnvoyFilter.ListenerMatch> match = patch.patch().listener();
    if (patch.operation() == EnvoyFilter.Operation.MERGE) {
      List<HttpFilter> merged = new ArrayList<>(httpFilters.size());
      boolean changed = false;
      for (HttpFilter filter : httpFilters) {
        if (ListenerMatching.httpFilter(filter, match)) {
          merged.add(FilterMerge.merge(filter, patch.value(HttpFilter.class)));
          hits.hit();
          changed = true;
        } else {
          merged.add(filter);
        }
      }
      return changed ? merged : httpFilters;
    }
    Optional<Predicate<HttpFilter>> anchor =
        ListenerMatching.subFilter(match)
            .map(name -> filter -> ListenerMatching.httpFilter(filter, match));
    HttpFilter value =
        patch.operation() == EnvoyFilter.Operation.REMOVE ? null : patch.value(HttpFilter.class);
    return ListEdits.edit(patch.operation(), httpFilters, anchor, value, hits);
  }
}
