package dev.outpost.translator.check;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.protobuf.Descriptors.FileDescriptor;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Finds the file descriptors of every Envoy API .proto compiled into java-control-plane's api jar,
 * together with the Java outer class that holds each one.
 *
 * <p>Nothing in the core API imports the extensions (HTTP connection manager, router, TLS
 * contexts, access loggers ...): they are only reachable through {@code Any}. So they cannot be
 * found by following imports from {@link Listener}; the jar itself has to be listed. Each
 * generated outer class exposes {@code static FileDescriptor getDescriptor()}, which is how
 * candidates are recognised. Only the Envoy, xDS and UDPA packages are scanned, so that the same
 * code works when the api jar is shaded into a fat jar with everything else; the files those
 * import (validate, google/protobuf, cel, ...) come in as dependencies of the scanned ones.
 */
final class EnvoyApiFiles {
  private static final ImmutableList<String> PACKAGE_PREFIXES =
      ImmutableList.of("io/envoyproxy/envoy/", "com/github/xds/", "com/github/udpa/");

  /** File descriptor name (e.g. {@code envoy/config/listener/v3/listener.proto}) to its file. */
  private final ImmutableMap<String, FileDescriptor> filesByName;
  /** File descriptor name to the binary name of the Java outer class generated for it. */
  private final ImmutableMap<String, String> outerClassByFileName;

  private EnvoyApiFiles(
      ImmutableMap<String, FileDescriptor> filesByName,
      ImmutableMap<String, String> outerClassByFileName) {
    this.filesByName = filesByName;
    this.outerClassByFileName = outerClassByFileName;
  }

  /** Scans the jar (or class directory) that {@link Listener} was loaded from. */
  static EnvoyApiFiles scan() {
    ClassLoader loader = Listener.class.getClassLoader();
    TreeMap<String, FileDescriptor> files = new TreeMap<>();
    TreeMap<String, String> outerClasses = new TreeMap<>();
    for (String className : candidateClassNames(codeSourceOf(Listener.class))) {
      fileDescriptorOf(className, loader)
          .ifPresent(
              file -> {
                files.put(file.getName(), file);
                outerClasses.put(file.getName(), className);
              });
    }
    if (!files.containsKey(Listener.getDescriptor().getFile().getName())) {
      throw new IllegalStateException(
          "Envoy API scan found no listener.proto in " + codeSourceOf(Listener.class));
    }
    return new EnvoyApiFiles(ImmutableMap.copyOf(files), ImmutableMap.copyOf(outerClasses));
  }

  /** Every scanned file, by name (sorted). Their imports are not included. */
  ImmutableMap<String, FileDescriptor> filesByName() {
    return filesByName;
  }

  /** The binary name of the outer class of a scanned file; empty for files not scanned. */
  Optional<String> outerClassOf(FileDescriptor file) {
    return Optional.ofNullable(outerClassByFileName.get(file.getName()));
  }

  private static Path codeSourceOf(Class<?> anchor) {
    try {
      return Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException | NullPointerException | SecurityException e) {
      throw new IllegalStateException(
          "cannot locate the Envoy API classes (code source of " + anchor.getName() + ")", e);
    }
  }

  /**
   * Top-level classes under the Envoy packages. Nested classes and the *OrBuilder interfaces
   * never hold a file descriptor, so they are skipped without being loaded.
   */
  private static List<String> candidateClassNames(Path codeSource) {
    List<String> entries = new ArrayList<>();
    try {
      if (Files.isDirectory(codeSource)) {
        try (Stream<Path> paths = Files.walk(codeSource)) {
          paths
              .filter(Files::isRegularFile)
              .map(path -> codeSource.relativize(path).toString().replace('\\', '/'))
              .forEach(entries::add);
        }
      } else {
        try (JarFile jar = new JarFile(codeSource.toFile())) {
          Enumeration<JarEntry> jarEntries = jar.entries();
          while (jarEntries.hasMoreElements()) {
            entries.add(jarEntries.nextElement().getName());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the Envoy API classes in " + codeSource, e);
    }
    List<String> classNames = new ArrayList<>();
    for (String entry : entries) {
      if (entry.endsWith(".class")
          && !entry.contains("$")
          && !entry.endsWith("OrBuilder.class")
          && PACKAGE_PREFIXES.stream().anyMatch(entry::startsWith)) {
        classNames.add(entry.substring(0, entry.length() - ".class".length()).replace('/', '.'));
      }
    }
    classNames.sort(null);
    return classNames;
  }

  private static Optional<FileDescriptor> fileDescriptorOf(
      String className, ClassLoader loader) {
    try {
      Class<?> type = Class.forName(className, false, loader);
      Method getDescriptor = type.getMethod("getDescriptor");
      if (Modifier.isStatic(getDescriptor.getModifiers())
          && getDescriptor.getReturnType() == FileDescriptor.class) {
        return Optional.of((FileDescriptor) getDescriptor.invoke(null));
      }
      return Optional.empty();
    } catch (NoSuchMethodException e) {
      return Optional.empty();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read the file descriptor of " + className, e);
    }
  }
}
