package dev.outpost.it.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The JSON access log an Outpost-configured Envoy writes to stdout (one object per request or TCP
 * connection, fields as in the translator's AccessLogEmitter), read the way an operator greps it.
 */
public final class AccessLog {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final RunningEnvoy envoy;

  private AccessLog(RunningEnvoy envoy) {
    this.envoy = envoy;
  }

  public static AccessLog of(RunningEnvoy envoy) {
    return new AccessLog(envoy);
  }

  /** The JSON access-log lines Envoy printed so far. */
  public List<JsonNode> lines() {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : envoy.stdoutLines()) {
      if (line.startsWith("{")) {
        try {
          lines.add(JSON.readTree(line));
        } catch (IOException notJson) {
          // Envoy's own log lines may start with a brace too; skip them.
        }
      }
    }
    return lines;
  }

  /** Waits for a line that matches (TCP lines appear when the connection closes). */
  public JsonNode await(Predicate<JsonNode> matching, Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      for (JsonNode line : lines()) {
        if (matching.test(line)) {
          return line;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no matching JSON access-log line on Envoy's stdout within " + timeout + ": " + lines());
  }

  /** Lines whose {@code field} has exactly this text, e.g. every request for one authority. */
  public List<JsonNode> where(String field, String value) {
    return lines().stream().filter(l -> l.path(field).asText().equals(value)).toList();
  }
}
