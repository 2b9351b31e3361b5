package dev.outpost.translator.build;

import com.google.common.collect.ImmutableList;

/**
 * Istio's {@code exportTo}: empty or {@code *} = everyone, {@code .} = own namespace, {@code ~} =
 * nobody.
 */
final class ExportTo {
  private ExportTo() {}

  static boolean visible(
      ImmutableList<String> exportTo, String ownNamespace, String viewerNamespace) {
    if (exportTo.isEmpty()) {
      return true;
    }
    for (String entry : exportTo) {
      if (entry.equals("*")
          || entry.equals(viewerNamespace)
          || (entry.equals(".") && ownNamespace.equals(viewerNamespace))) {
        return true;
      }
    }
    return false;
  }
}
