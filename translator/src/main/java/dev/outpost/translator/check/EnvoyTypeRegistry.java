package dev.outpost.translator.check;

import com.google.common.base.Suppliers;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A JSON type registry that knows every Envoy API message, so that {@code Any} fields print and
 * parse (config dumps, goldens, bootstrap output), and the lookup from an {@code Any}'s type URL
 * to the generated message class that the snapshot checker needs to validate its content.
 *
 * <p>Built once, on first use, from every .proto compiled into java-control-plane's api jar and
 * everything those import (see {@link EnvoyApiFiles}); about 600 files.
 */
public final class EnvoyTypeRegistry {
  private static final Supplier<EnvoyTypeRegistry> INSTANCE =
      Suppliers.memoize(() -> new EnvoyTypeRegistry(EnvoyApiFiles.scan()));

  private final JsonFormat.TypeRegistry typeRegistry;
  private final ImmutableMap<String, Descriptor> messagesByFullName;
  private final EnvoyApiFiles apiFiles;
  /** Resolved lazily: most of the ~4000 message classes are never needed. */
  private final Map<String, Optional<Class<? extends Message>>> classesByFullName =
      new ConcurrentHashMap<>();

  private EnvoyTypeRegistry(EnvoyApiFiles apiFiles) {
    this.apiFiles = apiFiles;
    TreeMap<String, Descriptor> messages = new TreeMap<>();
    for (FileDescriptor file : withImports(apiFiles.filesByName().values())) {
      for (Descriptor message : file.getMessageTypes()) {
        addWithNested(message, messages);
      }
    }
    this.messagesByFullName = ImmutableMap.copyOf(messages);
    this.typeRegistry = JsonFormat.TypeRegistry.newBuilder().add(messages.values()).build();
  }

  /** The JSON type registry with every Envoy API message (and the files they import). */
  public static JsonFormat.TypeRegistry get() {
    return INSTANCE.get().typeRegistry;
  }

  /**
   * The message type an {@code Any} type URL names ({@code type.googleapis.com/envoy...}; like
   * Envoy, only the part after the last '/' counts). Empty when the API does not know it.
   */
  public static Optional<Descriptor> descriptorForTypeUrl(String typeUrl) {
    return Optional.ofNullable(INSTANCE.get().messagesByFullName.get(typeName(typeUrl)));
  }

  /**
   * The generated Java class for an {@code Any} type URL, so that {@link Any#unpack(Class)}
   * gives a message that the PGV validators (looked up by class) can check. Empty when the API
   * does not know the type.
   *
   * @throws IllegalStateException if the type is known but its generated class cannot be found,
   *     which means the class naming rules here are out of step with protoc
   */
  public static Optional<Class<? extends Message>> messageClassForTypeUrl(String typeUrl) {
    EnvoyTypeRegistry registry = INSTANCE.get();
    String fullName = typeName(typeUrl);
    Descriptor descriptor = registry.messagesByFullName.get(fullName);
    if (descriptor == null) {
      return Optional.empty();
    }
    return registry.classesByFullName.computeIfAbsent(
        fullName, name -> Optional.of(registry.loadMessageClass(descriptor)));
  }

  /** Every message the registry knows, by full name (sorted). */
  static ImmutableSet<String> knownMessageNames() {
    return INSTANCE.get().messagesByFullName.keySet();
  }

  private Class<? extends Message> loadMessageClass(Descriptor descriptor) {
    String className =
        JavaClassNames.messageClassName(descriptor, apiFiles.outerClassOf(descriptor.getFile()));
    try {
      Class<?> type = Class.forName(className, true, EnvoyTypeRegistry.class.getClassLoader());
      Class<? extends Message> messageClass = type.asSubclass(Message.class);
      Object actual = messageClass.getMethod("getDescriptor").invoke(null);
      if (actual != descriptor) {
        throw new IllegalStateException(
            className + " is not the generated class of " + descriptor.getFullName());
      }
      return messageClass;
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new IllegalStateException(
          "no generated class " + className + " for " + descriptor.getFullName(), e);
    }
  }

  static String typeName(String typeUrl) {
    return typeUrl.substring(typeUrl.lastIndexOf('/') + 1);
  }

  private static Iterable<FileDescriptor> withImports(Iterable<FileDescriptor> roots) {
    TreeMap<String, FileDescriptor> all = new TreeMap<>();
    Deque<FileDescriptor> pending = new ArrayDeque<>();
    roots.forEach(pending::add);
    Set<String> seen = new HashSet<>();
    while (!pending.isEmpty()) {
      FileDescriptor file = pending.removeFirst();
      if (seen.add(file.getName())) {
        all.put(file.getName(), file);
        pending.addAll(file.getDependencies());
      }
    }
    return all.values();
  }

  private static void addWithNested(Descriptor message, Map<String, Descriptor> into) {
    if (message.getOptions().getMapEntry()) {
      return; // synthetic map entries have no Java class and never travel in an Any
    }
    into.put(message.getFullName(), message);
    for (Descriptor nested : message.getNestedTypes()) {
      addWithNested(nested, into);
    }
  }
}
