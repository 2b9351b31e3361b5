package dev.outpost.k8s;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.http.AsyncBody;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices when the API server cannot be reached, from the client's own requests. fabric8's
 * informers re-list and re-watch by themselves with backoff, and tell their owner nothing while
 * they do; this interceptor sees each failed connection attempt and the first answer after them.
 * It logs one line when contact is lost and one when it is back (not one per retry), and counts
 * both for metrics. While contact is lost the watcher publishes nothing new: proxies keep the last
 * config.
 */
final class ApiServerHealth implements Interceptor {
  private static final Logger LOG = LoggerFactory.getLogger(ApiServerHealth.class);
  static final String NAME = "outpost-api-server-health";

  private final AtomicBoolean reachable = new AtomicBoolean(true);
  private final AtomicLong connectionFailures = new AtomicLong();
  private final AtomicLong outages = new AtomicLong();
  private volatile long lostAtNanos;

  @Override
  public void afterConnectionFailure(HttpRequest request, Throwable failure) {
    connectionFailures.incrementAndGet();
    if (reachable.compareAndSet(true, false)) {
      outages.incrementAndGet();
      lostAtNanos = System.nanoTime();
      LOG.warn(
          "lost contact with the Kubernetes API server ({}); proxies keep the last config, the"
              + " watches reconnect with backoff",
          failure.toString());
    }
  }

  @Override
  public void after(HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
    answered();
  }

  @Override
  public CompletableFuture<Boolean> afterFailure(BasicBuilder builder, HttpResponse<?> response, RequestTags tags) {
    answered(); // an HTTP error is still an answer: the server is reachable
    return CompletableFuture.completedFuture(false);
  }

  private void answered() {
    if (reachable.compareAndSet(false, true)) {
      LOG.info(
          "the Kubernetes API server answers again after {} s; the watches resume",
          (System.nanoTime() - lostAtNanos) / 1_000_000_000L);
    }
  }

  boolean reachable() {
    return reachable.get();
  }

  long connectionFailures() {
    return connectionFailures.get();
  }

  long outages() {
    return outages.get();
  }
}
