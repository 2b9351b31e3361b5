package dev.outpost.translator.patch;

/**
 * A patch that cannot be applied as written: its value does not parse into the type it patches,
 * names a type Envoy does not know, or cannot be merged into what it matched. The whole
 * EnvoyFilter is then left out: half of a filter's patches applied would be a config nobody wrote.
 */
final class PatchException extends Exception {
  private final String field;

  /**
   * @param field the place inside the patch, relative to {@code spec.configPatches[i]}, e.g.
   *     {@code patch.value.typed_config}
   */
  PatchException(String field, String message) {
    super(message);
    this.field = field;
  }

  String field() {
    return field;
  }
}
