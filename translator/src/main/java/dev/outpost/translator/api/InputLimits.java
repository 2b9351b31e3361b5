package dev.outpost.translator.api;

/**
 * How much input one file may hold. Whoever reads files (the file source) refuses a larger file
 * before reading it; the translator checks the text it is given again, so input from any source
 * (a Kubernetes object, a test, the CLI) is bounded the same way. Each limit that bites is an
 * error naming the file; the other files are still read. README.md, "How Outpost treats bad
 * input", lists them.
 */
public final class InputLimits {
  private InputLimits() {}

  /**
   * One file, in bytes (and so at most this many characters): 4 MiB. A Kubernetes object is at
   * most about 1.5 MiB (etcd's request limit), so a file of several large objects still fits.
   */
  public static final int MAX_FILE_BYTES = 4 * 1024 * 1024;

  /**
   * One scalar (a string, key or number), in characters: 1 MiB. Kubernetes limits a Secret's
   * whole data to 1 MiB, so any certificate, key or CA bundle fits. In YAML it also bounds any run
   * of text without spaces or line breaks: SnakeYAML's scanner takes time that grows with the
   * square of such a run (about 0.4 s for 1 MiB, 8 s for 4 MiB).
   */
  public static final int MAX_SCALAR_CHARS = 1024 * 1024;

  /** How deeply mappings and lists may nest: 100. Istio resources need about 15 levels. */
  public static final int MAX_NESTING_DEPTH = 100;

  /** Digits of one number: 100 (the largest field is a 64-bit integer, 20 digits). */
  public static final int MAX_NUMBER_CHARS = 100;

  /**
   * Resources in one file: 10,000 documents, counting each item of a {@code kind: List} (or of a
   * JSON array) as one. Enough for a whole cluster's egress config in one file.
   */
  public static final int MAX_RESOURCES_PER_FILE = 10_000;
}
