package dev.outpost.server.xds;

import java.nio.charset.StandardCharsets;

/**
 * Text a proxy sent that the server keeps (Envoy's NACK {@code error_detail}, shown in {@code
 * /debug/proxies} and logged), cut to a bounded size so that one client cannot make the server
 * hold or print megabytes.
 */
public final class TruncatedText {
  /** How much of a NACK's error message is kept. */
  static final int MAX_NACK_BYTES = 1024;

  private TruncatedText() {}

  /**
   * {@code text} if it fits in {@code maxBytes} of UTF-8, else its longest prefix that does (never
   * splitting a character) followed by {@code … (N bytes truncated)}.
   */
  public static String of(String text, int maxBytes) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    if (utf8.length <= maxBytes) {
      return text;
    }
    int end = maxBytes;
    while (end > 0 && (utf8[end] & 0xC0) == 0x80) {
      end--; // a continuation byte: back up to the start of its character
    }
    return new String(utf8, 0, end, StandardCharsets.UTF_8) + "… (" + (utf8.length - end) + " bytes truncated)";
  }
}
