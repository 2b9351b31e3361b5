package dev.outpost.it.client;

import com.google.common.net.HostAndPort;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/**
 * An application that uses its client proxy as {@code http_proxy}: for an {@code http://} URL the
 * JDK client connects to the proxy and sends the absolute form ({@code GET http://HOST/get
 * HTTP/1.1}, Host: HOST), as curl -x does. HTTP/1.1 only: no h2c upgrade headers.
 */
public final class ProxiedHttpClient {
  private final HttpClient http;

  public ProxiedHttpClient(String proxyAddress) {
    HostAndPort proxy = HostAndPort.fromString(proxyAddress);
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .proxy(ProxySelector.of(new InetSocketAddress(proxy.getHost(), proxy.getPort())))
            .connectTimeout(Duration.ofSeconds(2))
            .build();
  }

  public HttpResponse<String> get(String url) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The first HTTP answer from the proxy. Until Envoy has its listener from Outpost the port
   * refuses connections; Envoy opens it only once the listener's routes and clusters are in, so
   * the first answer already reflects the whole configuration.
   */
  public HttpResponse<String> firstAnswer(String url, Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    IOException last = null;
    while (Instant.now().isBefore(deadline)) {
      try {
        return get(url);
      } catch (IOException listenerNotThereYet) {
        last = listenerNotThereYet;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("the client proxy never answered " + url + " within " + timeout + "; last: " + last);
  }

  /**
   * Retries until the answer has {@code status}: besides the listener, the gateway's own config
   * and its mesh certificate arrive on their own schedule, and until then the request fails on
   * the way (502/503). Returns the last answer otherwise, for the assertion to show.
   */
  public HttpResponse<String> awaitStatus(String url, int status, Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    HttpResponse<String> last = firstAnswer(url, timeout);
    while (last.statusCode() != status && Instant.now().isBefore(deadline)) {
      Thread.sleep(250);
      try {
        last = get(url);
      } catch (IOException e) {
        // The proxy answered before; a broken connection now is transient too.
      }
    }
    return last;
  }
}
