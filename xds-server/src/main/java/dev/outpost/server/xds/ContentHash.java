package dev.outpost.server.xds;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.SortedMap;

/**
 * Versions as content hashes (DESIGN.md section 3): the same resources give the same version in
 * every process, so a restart or a re-translation of unchanged input pushes nothing new.
 * java-control-plane's default per-resource version hashes {@code Message.hashCode()}, which
 * depends on descriptor identity and so changes on every restart; we never use it.
 */
final class ContentHash {
  private static final int HEX_CHARS = 16;

  private ContentHash() {}

  /** Hash of one resource's deterministic wire bytes (map entries sorted). */
  static String of(Message resource) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(resource.getSerializedSize());
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.useDeterministicSerialization();
    try {
      resource.writeTo(out);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Hashing.sha256().hashBytes(bytes.toByteArray()).toString().substring(0, HEX_CHARS);
  }

  /** Hash of a set of named versions; an empty set has a (non-empty) version of its own. */
  static String ofVersions(SortedMap<String, String> versionsByName) {
    Hasher hasher = Hashing.sha256().newHasher();
    versionsByName.forEach(
        (name, version) -> {
          hasher.putString(name, StandardCharsets.UTF_8).putByte((byte) 0);
          hasher.putString(version, StandardCharsets.UTF_8).putByte((byte) 0);
        });
    return hasher.hash().toString().substring(0, HEX_CHARS);
  }
}
