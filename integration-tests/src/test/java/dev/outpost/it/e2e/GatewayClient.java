package dev.outpost.it.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/**
 * Sends requests to a gateway listener the way an application would to an egress gateway: to the
 * gateway's address, with the external host in the Host header. The JDK client refuses to set
 * Host unless {@code jdk.httpclient.allowRestrictedHeaders} includes it; surefire sets that.
 */
public final class GatewayClient {
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  public HttpResponse<String> get(String address, String host, String path)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://" + address + path))
            .header("Host", host)
            .timeout(Duration.ofSeconds(5))
            .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Envoy takes a moment to fetch its config over ADS: retry until the route answers 200, and
   * return the last response (or fail if the listener never accepted a connection).
   */
  public HttpResponse<String> getUntilOk(String address, String host, String path, Duration timeout)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    HttpResponse<String> last = null;
    while (Instant.now().isBefore(deadline)) {
      try {
        last = get(address, host, path);
        if (last.statusCode() == 200) {
          return last;
        }
      } catch (IOException listenerNotUpYet) {
        // Retry: the listener arrives over LDS.
      }
      Thread.sleep(250);
    }
    if (last == null) {
      throw new AssertionError(address + " never accepted a connection within " + timeout);
    }
    return last;
  }
}
