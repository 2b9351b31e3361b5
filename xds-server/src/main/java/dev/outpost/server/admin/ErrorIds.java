package dev.outpost.server.admin;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Short ids that tie a generic error response to the log line with its details, so that a 500
 * never has to carry the exception's message.
 */
final class ErrorIds {
  private static final SecureRandom RANDOM = new SecureRandom();

  private ErrorIds() {}

  /** Eight hex digits: unique enough to find one log line among a day's. */
  static String next() {
    byte[] bytes = new byte[4];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
