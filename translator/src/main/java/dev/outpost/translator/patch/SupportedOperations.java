package dev.outpost.translator.patch;

import static dev.outpost.translator.model.EnvoyFilter.Operation.ADD;
import static dev.outpost.translator.model.EnvoyFilter.Operation.INSERT_AFTER;
import static dev.outpost.translator.model.EnvoyFilter.Operation.INSERT_BEFORE;
import static dev.outpost.translator.model.EnvoyFilter.Operation.INSERT_FIRST;
import static dev.outpost.translator.model.EnvoyFilter.Operation.MERGE;
import static dev.outpost.translator.model.EnvoyFilter.Operation.REMOVE;
import static dev.outpost.translator.model.EnvoyFilter.Operation.REPLACE;

import com.google.common.collect.Sets;
import dev.outpost.translator.model.EnvoyFilter;
import dev.outpost.translator.model.EnvoyFilter.ApplyTo;
import dev.outpost.translator.model.EnvoyFilter.Operation;
import java.util.Optional;
import java.util.Set;

/**
 * Which operations each {@code applyTo} has, as Istio implements them, and the patches that can
 * have no effect as written. Istio ignores both silently; here they are warnings, so that a patch
 * that does nothing does not go unnoticed.
 */
final class SupportedOperations {
  private SupportedOperations() {}

  /** Why the patch can change nothing, or empty when it can. */
  static Optional<String> whyNoEffect(EnvoyFilter.Patch patch) {
    Set<Operation> supported = patch.applyTo().operations();
    if (!supported.contains(patch.operation())) {
      return Optional.of(
          "operation " + patch.operation() + " does nothing on applyTo " + patch.applyTo()
              + " (Istio ignores it too); " + patch.applyTo() + " takes "
              + String.join(", ", Sets.newTreeSet(supported.stream().map(Enum::name).toList())));
    }
    boolean replaceOrRemove = patch.operation() == REPLACE || patch.operation() == REMOVE;
    if (replaceOrRemove
        && patch.applyTo() == ApplyTo.NETWORK_FILTER
        && ListenerMatching.filterMatch(patch.listener()).isEmpty()) {
      return Optional.of(
          patch.operation() + " of a NETWORK_FILTER needs match.listener.filterChain.filter.name"
              + " to say which filter; the patch does nothing without it");
    }
    if (replaceOrRemove
        && patch.applyTo() == ApplyTo.HTTP_FILTER
        && ListenerMatching.subFilter(patch.listener()).isEmpty()) {
      return Optional.of(
          patch.operation() + " of an HTTP_FILTER needs"
              + " match.listener.filterChain.filter.subFilter.name to say which filter; the patch"
              + " does nothing without it");
    }
    return Optional.empty();
  }
}
