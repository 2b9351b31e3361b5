package dev.outpost.it.hostile;

/**
 * A fix of issue 16 that a case depends on, made on its own branch. A case tagged with one of
 * these fails until that fix is merged: it stays enabled (the failure is the point), and its
 * test name says which fix it waits for, e.g. {@code [needs REGEX_LIMITS]}. Once a fix is merged
 * and its cases pass, remove the tag from them.
 *
 * <p>{@code -Doutpost.hostile.skipNeeds=REGEX_LIMITS,INPUT_BOUNDS} leaves such cases out, for a
 * branch that knowingly runs without those fixes; nothing sets it by default.
 */
enum Needs {
  /** Item 3: regex size bounded before compiling, RE2 program size checked against Envoy's limit. */
  REGEX_LIMITS,
  /** Item 4: file, scalar and document size caps; the offending file named, the rest served. */
  INPUT_BOUNDS,
  /** Item 6: FIFOs, devices, symlink loops and dangling links in the config dir get a diagnostic. */
  FS_DIAGNOSTICS,
  /** Item 6: a number written as a string (a port "80") is an error, as Istio's schema says. */
  STRICT_NUMBERS,
  /** Item 6: 0.0.0.0 and loopback hosts/addresses in a ServiceEntry get a warning. */
  SELF_ADDRESSES,
  /** Item 5: EnvoyFilter typed_config checked against the extension category of its slot. */
  FILTER_TYPES
}
