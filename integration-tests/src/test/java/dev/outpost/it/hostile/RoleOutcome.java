package dev.outpost.it.hostile;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import java.util.Optional;

/**
 * What one proxy (gateway or client) got from a case's config: the diagnostics, the names of what
 * it would be sent, the snapshot checker's problems, and anything that went wrong on the way.
 *
 * @param exitCode {@code outpost translate}'s exit code; empty in Kubernetes mode
 * @param virtualHosts {@code ROUTE_CONFIG/VIRTUAL_HOST} names
 * @param output everything printed besides the config: stderr of translate, log lines
 * @param thrown what escaped the code under test, if anything
 */
record RoleOutcome(
    GoodConfig.Role role,
    Optional<Integer> exitCode,
    ImmutableList<String> diagnostics,
    ImmutableSet<String> listeners,
    ImmutableSet<String> virtualHosts,
    ImmutableSet<String> clusters,
    ImmutableList<String> checkProblems,
    String output,
    Optional<Throwable> thrown) {

  static RoleOutcome failed(GoodConfig.Role role, Throwable thrown, String output) {
    return new RoleOutcome(
        role, Optional.empty(), ImmutableList.of(), ImmutableSet.of(), ImmutableSet.of(), ImmutableSet.of(),
        ImmutableList.of(), output, Optional.of(thrown));
  }
}
