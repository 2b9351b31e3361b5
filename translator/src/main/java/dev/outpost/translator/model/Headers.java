package dev.outpost.translator.model;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;

/** {@code headers}: operations on request headers (before forwarding) and response headers. */
public record Headers(HeaderOperations request, HeaderOperations response) {

  /**
   * {@code headers.request} / {@code headers.response}; an absent block is {@link #EMPTY}.
   *
   * @param set overwrite these headers
   * @param add append these headers
   * @param remove remove these headers
   */
  public record HeaderOperations(
      ImmutableSortedMap<String, String> set,
      ImmutableSortedMap<String, String> add,
      ImmutableList<String> remove) {

    public static final HeaderOperations EMPTY =
        new HeaderOperations(ImmutableSortedMap.of(), ImmutableSortedMap.of(), ImmutableList.of());

    public boolean isEmpty() {
      return set.isEmpty() && add.isEmpty() && remove.isEmpty();
    }
  }
}
