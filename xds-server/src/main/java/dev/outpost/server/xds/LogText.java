package dev.outpost.server.xds;

/**
 * Text a proxy sent (its node id, Envoy's NACK message), made safe for one log line: control
 * characters escaped, so a client cannot forge log lines with a newline in its node id, and
 * length capped, so it cannot flood the log.
 */
final class LogText {
  static final int MAX = 2000;

  private LogText() {}

  static String of(String untrusted) {
    StringBuilder out = new StringBuilder(Math.min(untrusted.length(), MAX) + 16);
    for (int i = 0; i < untrusted.length() && out.length() < MAX; i++) {
      char c = untrusted.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    if (out.length() >= MAX && untrusted.length() > MAX) {
      out.append("... (").append(untrusted.length()).append(" characters)");
    }
    return out.toString();
  }
}
