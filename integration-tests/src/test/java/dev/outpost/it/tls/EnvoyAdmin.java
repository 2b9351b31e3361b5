package dev.outpost.it.tls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Envoy's admin interface, read the way an operator checks a gateway: counters and gauges from
 * {@code /stats}, the process from {@code /server_info}, loaded config from {@code /config_dump}.
 */
final class EnvoyAdmin {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final String baseUrl;

  EnvoyAdmin(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /** Every stat whose name matches {@code regex}, by name (text format {@code name: value}). */
  Map<String, String> stats(String regex) throws IOException, InterruptedException {
    String body = get("/stats?filter=" + URLEncoder.encode(regex, StandardCharsets.UTF_8));
    Map<String, String> stats = new LinkedHashMap<>();
    for (String line : body.split("\n")) {
      int colon = line.lastIndexOf(": ");
      if (colon > 0) {
        stats.put(line.substring(0, colon), line.substring(colon + 2).trim());
      }
    }
    return stats;
  }

  /** One counter or gauge; fails if Envoy has no such stat. */
  long stat(String name) throws IOException, InterruptedException {
    String value = stats("^" + Pattern.quote(name) + "$").get(name);
    if (value == null) {
      throw new AssertionError("Envoy has no stat " + name);
    }
    return Long.parseLong(value);
  }

  JsonNode serverInfo() throws IOException, InterruptedException {
    return JSON.readTree(get("/server_info"));
  }

  JsonNode configDump() throws IOException, InterruptedException {
    return JSON.readTree(get("/config_dump"));
  }

  private String get(String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("Envoy admin " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }
}
