package dev.outpost.translator.patch;

import dev.outpost.translator.model.EnvoyFilter.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The list operations of EnvoyFilter patches on filters and routes, as Istio defines them: insert
 * before/after or replace the first element the match selects, remove every one it selects.
 */
final class ListEdits {
  private ListEdits() {}

  /**
   * A list operation on filters: ADD appends, INSERT_FIRST prepends; INSERT_BEFORE/INSERT_AFTER
   * go next to the first element the anchor selects, or first/last without an anchor; REPLACE and
   * REMOVE need an anchor (without one they change nothing, as in Istio).
   *
   * @param value the new element; unused for REMOVE
   */
  static <T> List<T> edit(
      Operation operation, List<T> items, Optional<Predicate<T>> anchor, T value, Hits hits) {
    return switch (operation) {
      case ADD -> append(items, value, hits);
      case INSERT_FIRST -> prepend(items, value, hits);
      case INSERT_BEFORE ->
          anchor.isEmpty()
              ? prepend(items, value, hits)
              : insertBefore(items, anchor.get(), value, hits);
      case INSERT_AFTER ->
          anchor.isEmpty()
              ? append(items, value, hits)
              : insertAfter(items, anchor.get(), value, hits);
      case REPLACE -> anchor.isEmpty() ? items : replaceFirst(items, anchor.get(), value, hits);
      case REMOVE -> anchor.isEmpty() ? items : removeAll(items, anchor.get(), hits);
      case MERGE -> throw new IllegalArgumentException("MERGE is not a list operation");
    };
  }

  static <T> List<T> append(List<T> items, T value, Hits hits) {
    List<T> out = new ArrayList<>(items);
    out.add(value);
    hits.hit();
    return out;
  }

  static <T> List<T> prepend(List<T> items, T value, Hits hits) {
    List<T> out = new ArrayList<>(items.size() + 1);
    out.add(value);
    out.addAll(items);
    hits.hit();
    return out;
  }

  /** Inserts before the first selected element; unchanged when none is. */
  static <T> List<T> insertBefore(List<T> items, Predicate<T> selected, T value, Hits hits) {
    return insertAt(items, firstIndex(items, selected), value, hits);
  }

  /** Inserts after the first selected element; unchanged when none is. */
  static <T> List<T> insertAfter(List<T> items, Predicate<T> selected, T value, Hits hits) {
    int index = firstIndex(items, selected);
    return insertAt(items, index < 0 ? -1 : index + 1, value, hits);
  }

  /** Replaces the first selected element; unchanged when none is. */
  static <T> List<T> replaceFirst(List<T> items, Predicate<T> selected, T value, Hits hits) {
    int index = firstIndex(items, selected);
    if (index < 0) {
      return items;
    }
    List<T> out = new ArrayList<>(items);
    out.set(index, value);
    hits.hit();
    return out;
  }

  /** Removes every selected element. */
  static <T> List<T> removeAll(List<T> items, Predicate<T> selected, Hits hits) {
    List<T> out = new ArrayList<>(items.size());
    for (T item : items) {
      if (selected.test(item)) {
        hits.hit();
      } else {
        out.add(item);
      }
    }
    return out;
  }

  static <T> int firstIndex(List<T> items, Predicate<T> selected) {
    for (int i = 0; i < items.size(); i++) {
      if (selected.test(items.get(i))) {
        return i;
      }
    }
    return -1;
  }

  private static <T> List<T> insertAt(List<T> items, int index, T value, Hits hits) {
    if (index < 0) {
      return items;
    }
    List<T> out = new ArrayList<>(items);
    out.add(index, value);
    hits.hit();
    return out;
  }
}
