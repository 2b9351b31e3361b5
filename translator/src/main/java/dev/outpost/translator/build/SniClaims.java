package dev.outpost.translator.build;

import com.google.common.collect.ImmutableList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SNI names that filter chains of one TLS port already match, and who has each. Envoy rejects
 * a whole listener in which two chains have the same matching rules ("multiple filter chains with
 * the same matching rules are defined"), so a name can be given to one chain only; a chain without
 * {@code server_names} is the port's catch-all, and there can be only one of those too.
 */
final class SniClaims {
  /**
   * The key of the catch-all chain. It is also what a server host or {@code sniHosts} entry of
   * {@code *} means: Envoy has no {@code *} server name (only {@code *.suffix}; a bare {@code *} is
   * rejected as a partial wildcard), so "any SNI" is a chain without server names.
   */
  static final String ANY = "*";

  private final Map<String, String> owners = new HashMap<>();

  /** Who already has {@code name} (or {@link #ANY}) on this port. */
  Optional<String> owner(String name) {
    return Optional.ofNullable(owners.get(name));
  }

  /**
   * Records these names as {@code owner}'s: a chain's {@code server_names} (none: the catch-all),
   * or a match's names, where {@link #ANY} stands for the catch-all.
   */
  void claim(List<String> serverNames, String owner) {
    if (serverNames.isEmpty()) {
      owners.putIfAbsent(ANY, owner);
    }
    serverNames.forEach(n -> owners.putIfAbsent(n, owner));
  }

  /**
   * The {@code server_names} of a chain that matches {@code names}: none when one of them is
   * {@link #ANY} (the others add nothing to a chain that takes every name), else the names.
   */
  static ImmutableList<String> serverNames(List<String> names) {
    return names.contains(ANY) ? ImmutableList.of() : ImmutableList.copyOf(names);
  }
}
