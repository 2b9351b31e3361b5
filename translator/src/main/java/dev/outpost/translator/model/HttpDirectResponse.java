package dev.outpost.translator.model;

import com.google.protobuf.ByteString;
import java.util.Optional;

/**
 * {@code http[].directResponse}: answer with a fixed status and body.
 *
 * @param status HTTP status code, 200-599
 * @param body the body, if any
 */
public record HttpDirectResponse(int status, Optional<Body> body) {

  /**
   * {@code directResponse.body}: exactly one of {@code string} (text) or {@code bytes} (base64 in
   * the YAML, decoded here) is present.
   */
  public record Body(Optional<String> string, Optional<ByteString> bytes) {}
}
