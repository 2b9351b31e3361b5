package dev.outpost.translator.check;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.outpost.translator.api.EnvoyResources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.pgv.ValidationException;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The gate every snapshot passes before it is published or written as a golden file: Envoy's own
 * protoc-gen-validate constraints on every resource (recursing into every Any), and cross
 * references (route configs, clusters, EDS service names and SDS secrets that are named must exist
 * in the same snapshot), every resource has a name, and the listener rules Envoy enforces when it adds a listener ({@link
 * ListenerRules}: server name wildcards, duplicate chain matches, the TLS inspector; {@link
 * TerminalFilterRules}: the router and other terminal filters last), and every extension config of
 * a type its slot takes ({@link ExtensionTypeRules}). DESIGN.md
 * section 5, rule 1.
 *
 * <p>Each problem reads {@code <resource type> <name>: <field path>: <what is wrong>}. Problems
 * come in a fixed order: listeners, route configs, clusters, endpoints, secrets; within a type,
 * duplicate names first, then each resource in list order, each in field-number order. Paths and
 * rule descriptions only: no field values, so secret material never reaches a problem.
 */
public final class SnapshotChecker {

  /** Every referenced secret must be in {@code resources}. */
  public CheckResult check(EnvoyResources resources) {
    return check(resources, ImmutableSet.of());
  }

  /**
   * As {@link #check(EnvoyResources)}, but SDS references to {@code suppliedSecretNames} also
   * pass: secrets the server supplies itself per proxy (the mesh identity, {@code
   * MeshSecrets.NAMES}), which are never part of a translation.
   */
  public CheckResult check(EnvoyResources resources, Set<String> suppliedSecretNames) {
    return check(resources, suppliedSecretNames, resource -> true);
  }

  /**
   * True when {@code after} has no problem that {@code before} does not have, shown by checking
   * only the resources of {@code after} that are not (the same objects) in {@code before}; false
   * when that does not show it, and only a full check of both can tell. For a patch that changes a
   * few resources of a large snapshot (an EnvoyFilter), this costs a fraction of a full check.
   *
   * <p>Why it holds: every problem of a resource depends only on the resource and on what
   * references may point at (route config, cluster and ClusterLoadAssignment names, the secrets);
   * when those are the same in both, a resource present in both has the same problems in both. So
   * the problems {@code after} adds are among those of its new resources (checked here against
   * {@code after}'s names) and its duplicate names (checked in full), and there are none when that
   * check finds nothing.
   */
  public boolean addsNoProblems(
      EnvoyResources before, EnvoyResources after, Set<String> suppliedSecretNames) {
    if (!before.secrets().equals(after.secrets())
        || !names(before.routes(), RouteConfiguration::getName)
            .equals(names(after.routes(), RouteConfiguration::getName))
        || !names(before.clusters(), Cluster::getName)
            .equals(names(after.clusters(), Cluster::getName))
        || !names(before.endpoints(), ClusterLoadAssignment::getClusterName)
            .equals(names(after.endpoints(), ClusterLoadAssignment::getClusterName))) {
      return false;
    }
    Set<Message> unchanged = Collections.newSetFromMap(new IdentityHashMap<>());
    unchanged.addAll(before.listeners());
    unchanged.addAll(before.routes());
    unchanged.addAll(before.clusters());
    unchanged.addAll(before.endpoints());
    unchanged.addAll(before.secrets());
    return check(after, suppliedSecretNames, resource -> !unchanged.contains(resource)).ok();
  }

  /**
   * Duplicate names over all of {@code resources}; every other rule on the resources {@code
   * checked} accepts.
   */
  private CheckResult check(
      EnvoyResources resources, Set<String> suppliedSecretNames, Predicate<Message> checked) {
    ReferenceRules references =
        new ReferenceRules(
            names(resources.routes(), RouteConfiguration::getName),
            names(resources.clusters(), Cluster::getName),
            ImmutableSet.<String>builder()
                .addAll(names(resources.secrets(), Secret::getName))
                .addAll(suppliedSecretNames)
                .build(),
            // A secret without content (a placeholder for one the server fills in) says nothing
            // about its kind.
            resources.secrets().stream()
                .filter(s -> s.getTypeCase() != Secret.TypeCase.TYPE_NOT_SET)
                .collect(
                    ImmutableMap.toImmutableMap(
                        Secret::getName, Secret::getTypeCase, (first, second) -> first)));
    ImmutableSet<String> assignedClusters =
        names(resources.endpoints(), ClusterLoadAssignment::getClusterName);

    Set<String> problems = new LinkedHashSet<>();
    checkAll("Listener", resources.listeners(), Listener::getName, references, checked, problems);
    checkDistinctAddresses(resources.listeners(), problems);
    checkAll(
        "RouteConfiguration",
        resources.routes(),
        RouteConfiguration::getName,
        references,
        checked,
        problems);
    checkAll("Cluster", resources.clusters(), Cluster::getName, references, checked, problems);
    for (Cluster cluster : resources.clusters()) {
      if (checked.test(cluster)) {
        checkEndpointsExist(cluster, assignedClusters, problems);
      }
    }
    checkAll(
        "ClusterLoadAssignment",
        resources.endpoints(),
        ClusterLoadAssignment::getClusterName,
        references,
        checked,
        problems);
    checkAll("Secret", resources.secrets(), Secret::getName, references, checked, problems);
    return problems.isEmpty() ? CheckResult.OK : new CheckResult(ImmutableList.copyOf(problems));
  }

  /**
   * Envoy refuses a listener whose socket address and port another listener already has (the
   * whole update is NACKed); translation never emits two, but an EnvoyFilter LISTENER ADD can.
   * Over all listeners, like the duplicate names: one changed listener can clash with any other.
   */
  private static void checkDistinctAddresses(List<Listener> listeners, Set<String> problems) {
    Map<String, String> firstByAddress = new HashMap<>();
    for (Listener listener : listeners) {
      if (!listener.getAddress().hasSocketAddress()) {
        continue;
      }
      var socket = listener.getAddress().getSocketAddress();
      String address = socket.getAddress() + ":" + socket.getPortValue();
      String first = firstByAddress.putIfAbsent(address, listener.getName());
      // Two listeners of one name are already a problem of their own (see checkAll).
      if (first != null && !first.equals(listener.getName())) {
        problems.add(
            subject("Listener", listener.getName()) + ": .address: " + address
                + " is already the address of listener " + first
                + "; Envoy refuses a second listener on the same address and port");
      }
    }
  }

  private static <T extends Message> void checkAll(
      String type,
      List<T> resources,
      Function<T, String> nameOf,
      ReferenceRules references,
      Predicate<Message> checked,
      Set<String> problems) {
    Map<String, Integer> counts = new HashMap<>();
    for (T resource : resources) {
      counts.merge(nameOf.apply(resource), 1, Integer::sum);
    }
    if (counts.size() < resources.size()) { // some name is shared: report them in name order
      new TreeMap<>(counts)
          .forEach(
              (name, count) -> {
                if (count > 1) {
                  problems.add(
                      subject(type, name) + ": " + count + " resources of this type share this"
                          + " name; Envoy keeps only one of them");
                }
              });
    }
    for (T resource : resources) {
      if (!checked.test(resource)) {
        continue;
      }
      String subject = subject(type, nameOf.apply(resource));
      if (nameOf.apply(resource).isEmpty()) {
        // xDS delivers, updates and removes resources by name; an unnamed one can be none of these
        // (and an EnvoyFilter ADD without a name is an easy mistake).
        problems.add(
            subject + ": " + (resource instanceof ClusterLoadAssignment ? ".cluster_name" : ".name")
                + ": must not be empty: xDS delivers and updates resources by name");
      }
      walk(subject, resource, references, problems);
      if (resource instanceof Listener listener) {
        ListenerRules.check(
            listener,
            (path, problem) -> problems.add(subject + ": " + path + ": " + problem));
        TerminalFilterRules.check(
            listener,
            (path, problem) -> problems.add(subject + ": " + path + ": " + problem));
      }
    }
  }

  /**
   * Envoy's PGV constraints alone, through every Any, for a message that is not part of a
   * snapshot, such as a bootstrap: its references point at its own static resources and its
   * config sources are not ADS, so the snapshot's cross-reference rules don't apply to it.
   */
  public CheckResult checkConstraints(String type, String name, Message message) {
    Set<String> problems = new LinkedHashSet<>();
    walk(subject(type, name), message, null, problems);
    return problems.isEmpty() ? CheckResult.OK : new CheckResult(ImmutableList.copyOf(problems));
  }

  /** PGV on every message of {@code resource}, and the reference rules unless they are null. */
  private static void walk(
      String subject, Message resource, ReferenceRules references, Set<String> problems) {
    MessageWalker.walk(
        resource,
        new MessageWalker.Visitor() {
          @Override
          public void message(String path, Message message, boolean pgvApplies) {
            if (pgvApplies) {
              PgvRules.violation(message)
                  .ifPresent(
                      violation ->
                          problem(
                              fieldPath(path, message, violation),
                              PgvReasons.readable(violation.getReason())));
            }
            if (references != null) {
              references.check(path, message, this::problem);
            }
            RegexRules.check(path, message, this::problem);
          }

          @Override
          public void problem(String path, String problem) {
            problems.add(subject + ": " + (path.isEmpty() ? "." : path) + ": " + problem);
          }

          @Override
          public void anyContent(
              String path, Message content, FieldDescriptor anyField, FieldDescriptor holder) {
            ExtensionTypeRules.check(path, content, anyField, holder, this::problem);
          }
        });
  }

  /**
   * An EDS cluster gets its endpoints from the ClusterLoadAssignment named by its service_name
   * (the cluster name when empty); without it, Envoy keeps the cluster warming forever.
   */
  private static void checkEndpointsExist(
      Cluster cluster, ImmutableSet<String> assignedClusters, Set<String> problems) {
    if (cluster.getType() != Cluster.DiscoveryType.EDS) { // STATIC when the oneof is unset
      return;
    }
    String subject = subject("Cluster", cluster.getName());
    if (!cluster.getEdsClusterConfig().hasEdsConfig()) {
      problems.add(
          subject + ": .eds_cluster_config.eds_config: an EDS cluster needs an EDS config source;"
              + " set ads: {}");
    }
    String serviceName = cluster.getEdsClusterConfig().getServiceName();
    String wanted = serviceName.isEmpty() ? cluster.getName() : serviceName;
    if (!assignedClusters.contains(wanted)) {
      String field = serviceName.isEmpty() ? ".name" : ".eds_cluster_config.service_name";
      problems.add(
          subject + ": " + field + ": no ClusterLoadAssignment named \"" + wanted
              + "\" in the snapshot; the cluster would stay warming with no endpoints");
    }
  }

  /**
   * PGV names the broken field by its proto name ({@code .envoy.config.cluster.v3.Cluster.name});
   * the resource-relative path is more useful, so the message's own prefix is replaced by it.
   */
  private static String fieldPath(String path, Message message, ValidationException violation) {
    String prefix = "." + message.getDescriptorForType().getFullName() + ".";
    String field = violation.getField();
    if (field.startsWith(prefix)) {
      return path + "." + field.substring(prefix.length());
    }
    return field.isEmpty() ? path : path + " (" + field + ")";
  }

  private static String subject(String type, String name) {
    return type + " " + (name.isEmpty() ? "\"\"" : name);
  }

  private static <T> ImmutableSet<String> names(List<T> resources, Function<T, String> nameOf) {
    return resources.stream().map(nameOf).collect(ImmutableSet.toImmutableSet());
  }
}
