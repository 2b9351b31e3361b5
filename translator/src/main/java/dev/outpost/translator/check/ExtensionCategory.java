package dev.outpost.translator.check;

import com.google.common.collect.ImmutableList;
import java.util.Objects;

/**
 * One category of Envoy extensions ({@code envoy.filters.http}, {@code envoy.access_loggers},
 * ...) and which config message types belong to it, by the package convention of Envoy's API:
 * the config of an HTTP filter is a message of a package under {@code envoy.extensions.filters.http},
 * an access logger's under {@code envoy.extensions.access_loggers}, and so on.
 *
 * @param name Envoy's name of the category
 * @param description what an extension of it is, for messages ("an HTTP filter")
 * @param example the full name of a config type of it, for messages
 * @param packages the package prefixes (ending in '.') its config types live under, or the full
 *     names of single types (not ending in '.')
 * @param excludedWord a word whose presence in a type's simple name rules it out (empty: none):
 *     "Downstream" for upstream transport sockets, whose package also holds the downstream ones
 */
record ExtensionCategory(
    String name,
    String description,
    String example,
    ImmutableList<String> packages,
    String excludedWord) {

  ExtensionCategory {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(example, "example");
    Objects.requireNonNull(packages, "packages");
    Objects.requireNonNull(excludedWord, "excludedWord");
  }

  /** Whether a message of this full name is the config of an extension of this category. */
  boolean accepts(String messageFullName) {
    String simpleName = messageFullName.substring(messageFullName.lastIndexOf('.') + 1);
    if (!excludedWord.isEmpty() && simpleName.contains(excludedWord)) {
      return false;
    }
    for (String prefix : packages) {
      boolean isPackage = prefix.endsWith(".");
      if (isPackage ? messageFullName.startsWith(prefix) : messageFullName.equals(prefix)) {
        return true;
      }
    }
    return false;
  }
}
