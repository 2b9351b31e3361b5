package dev.outpost.translator.patch;

import dev.outpost.translator.model.EnvoyFilter;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** applyTo NETWORK_FILTER on one matched filter chain: the list operations, or MERGE. */
final class NetworkFilterPatcher {

  FilterChain apply(FilterChain chain, ParsedPatch patch, Hits hits) throws PatchException {
    Optional<EnvoyFilter.ListenerMatch> match = patch.patch().listener();
    List<Filter> filters = chain.getFiltersList();
    List<Filter> edited;
    if (patch.operation() == EnvoyFilter.Operation.MERGE) {
      edited = new ArrayList<>(filters.size());
      for (Filter filter : filters) {
        if (ListenerMatching.networkFilter(filter, match)) {
          edited.add(FilterMerge.merge(filter, patch.value(Filter.class)));
          hits.hit();
        } else {
          edited.add(filter);
        }
      }
    } else {
      Optional<Predicate<Filter>> anchor =
          ListenerMatching.filterMatch(match)
              .map(m -> filter -> ListenerMatching.networkFilter(filter, match));
      Filter value =
          patch.operation() == EnvoyFilter.Operation.REMOVE ? null : patch.value(Filter.class);
      edited = ListEdits.edit(patch.operation(), filters, anchor, value, hits);
    }
    if (edited == filters) {
      return chain;
    }
    return chain.toBuilder().clearFilters().addAllFilters(edited).build();
  }
}
