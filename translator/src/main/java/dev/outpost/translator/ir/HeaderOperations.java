package dev.outpost.translator.ir;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import java.util.Objects;

/**
 * Header edits, as Istio's {@code headers.request}/{@code headers.response}.
 *
 * @param set overwrite the header, adding it when absent
 * @param add append a value, adding the header when absent
 * @param remove header names to drop
 */
public record HeaderOperations(
    ImmutableSortedMap<String, String> set,
    ImmutableSortedMap<String, String> add,
    ImmutableList<String> remove) {

  public static final HeaderOperations NONE =
      new HeaderOperations(ImmutableSortedMap.of(), ImmutableSortedMap.of(), ImmutableList.of());

  public HeaderOperations {
    Objects.requireNonNull(set, "set");
    Objects.requireNonNull(add, "add");
    Objects.requireNonNull(remove, "remove");
  }

  public boolean isEmpty() {
    return set.isEmpty() && add.isEmpty() && remove.isEmpty();
  }
}
