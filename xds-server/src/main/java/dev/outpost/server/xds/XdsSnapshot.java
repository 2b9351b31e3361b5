package dev.outpost.server.xds;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSortedMap;
import com.google.protobuf.Message;
import dev.outpost.translator.api.EnvoyResources;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.Snapshot;
import io.envoyproxy.controlplane.cache.VersionedResource;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One group's published resources, with a content-hash version per resource and per type. Built
 * only from resources that passed the snapshot gate. Keeps the {@link EnvoyResources} it came from
 * for config dumps.
 */
public final class XdsSnapshot extends Snapshot {

  private record Typed(
      ImmutableMap<String, VersionedResource<?>> versioned, ImmutableMap<String, Message> resources, String version) {}

  private final EnvoyResources source;
  private final Map<ResourceType, Typed> byType;

  private XdsSnapshot(EnvoyResources source, Map<ResourceType, Typed> byType) {
    this.source = source;
    this.byType = byType;
  }

  public static XdsSnapshot of(EnvoyResources resources) {
    Objects.requireNonNull(resources, "resources");
    Map<ResourceType, Typed> byType = new EnumMap<>(ResourceType.class);
    byType.put(ResourceType.LISTENER, typed(resources.listeners()));
    byType.put(ResourceType.ROUTE, typed(resources.routes()));
    byType.put(ResourceType.CLUSTER, typed(resources.clusters()));
    byType.put(ResourceType.ENDPOINT, typed(resources.endpoints()));
    byType.put(ResourceType.SECRET, typed(resources.secrets()));
    return new XdsSnapshot(resources, byType);
  }

  private static Typed typed(List<? extends Message> resources) {
    ImmutableSortedMap.Builder<String, VersionedResource<?>> versioned = ImmutableSortedMap.naturalOrder();
    ImmutableSortedMap.Builder<String, Message> plain = ImmutableSortedMap.naturalOrder();
    ImmutableSortedMap.Builder<String, String> versions = ImmutableSortedMap.naturalOrder();
    java.util.Set<String> names = new java.util.HashSet<>();
    for (Message resource : resources) {
      String name = Resources.getResourceName(resource);
      if (!names.add(name)) {
        // A translator bug, never hidden. Named, not printed: the map builders' own message would
        // contain the resource, and a Secret's private key with it, in the publisher's log.
        throw new IllegalArgumentException(
            "two " + resource.getDescriptorForType().getName() + " resources are named \"" + name + "\"");
      }
      String version = ContentHash.of(resource);
      versioned.put(name, VersionedResource.create(resource, version));
      plain.put(name, resource);
      versions.put(name, version);
    }
    return new Typed(versioned.buildOrThrow(), plain.buildOrThrow(), ContentHash.ofVersions(versions.buildOrThrow()));
  }

  public EnvoyResources resources() {
    return source;
  }

  /** The version of every resource of this type together. */
  public String version(ResourceType type) {
    return typedOrEmpty(type).version();
  }

  /**
   * The whole type's version, whatever names were requested: a proxy that asks for a subset still
   * gets a new version exactly when the group's resources of that type change.
   */
  @Override
  public String version(ResourceType resourceType, List<String> resourceNames) {
    return version(resourceType);
  }

  @Override
  public Map<String, ? extends Message> resources(ResourceType resourceType) {
    return typedOrEmpty(resourceType).resources();
  }

  @Override
  public Map<String, VersionedResource<? extends Message>> versionedResources(ResourceType resourceType) {
    return typedOrEmpty(resourceType).versioned();
  }

  /** True when every type has the same version, i.e. publishing {@code other} would push nothing. */
  public boolean sameVersionsAs(XdsSnapshot other) {
    for (ResourceType type : byType.keySet()) {
      if (!version(type).equals(other.version(type))) {
        return false;
      }
    }
    return true;
  }

  private Typed typedOrEmpty(ResourceType type) {
    Typed typed = byType.get(type);
    return typed != null ? typed : EMPTY;
  }

  private static final Typed EMPTY = typed(List.of());
}
