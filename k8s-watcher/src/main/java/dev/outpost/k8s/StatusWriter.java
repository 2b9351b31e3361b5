package dev.outpost.k8s;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the status subresource of Istio objects, and the Events for their errors, on its own
 * thread, so translation never waits for the API server.
 *
 * <p>Coalescing: {@link #submit} replaces the whole desired set; an object whose desired status
 * changed twice before the thread got to it is written once, with the latest. An object is
 * written only when its desired status differs from the one last confirmed on the server; the
 * write itself reads the object, merges (see {@link StatusMerge}) and skips the PUT when the
 * result equals what is there. The PUT carries the read resourceVersion, so a concurrent change
 * answers 409 and is retried from a fresh read.
 *
 * <p>Failures: 409 is retried at once (a few times, then with backoff); 5xx, 429 and connection
 * errors with backoff from 1 s to 60 s, for as long as that object is still wanted; 404 (the
 * object was deleted) and 403 (RBAC) are not retried: logged once (403 with the missing
 * permission) and tried again only when the desired status changes or leadership is regained.
 *
 * <p>Only while {@code isLeader} is true does anything get written; it is checked before every
 * request. {@link #leadershipGained()} writes everything wanted again (checking against the
 * server first), {@link #leadershipLost()} stops at the next request.
 */
final class StatusWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StatusWriter.class);
  static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
  private static final int IMMEDIATE_CONFLICT_RETRIES = 3;

  private final KubernetesClient client;
  private final BooleanSupplier isLeader;
  private final EventRecorder events;
  private final Clock clock;
  private final Duration firstBackoff;
  private final ScheduledExecutorService executor;
  private final AtomicBoolean drainQueued = new AtomicBoolean();
  private final AtomicLong writes = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();

  // Latest wanted status per object subject; replaced as a whole by submit().
  private volatile Map<String, DesiredStatus> wanted = Map.of();

  // Writer thread only.
  private final Map<String, DesiredStatus> settled = new HashMap<>(); // written, or given up on
  private final Map<String, Retry> retries = new HashMap<>();
  private final Set<String> loggedForbidden = new HashSet<>();
  private ScheduledFuture<?> retryTimer; // at most one pending: retries never pile up timers

  private record Retry(int attempt, long notBeforeMillis) {}

  StatusWriter(
      KubernetesClient client,
      BooleanSupplier isLeader,
      EventRecorder events,
      Clock clock,
      Duration firstBackoff) {
    this.client = Objects.requireNonNull(client, "client");
    this.isLeader = Objects.requireNonNull(isLeader, "isLeader");
    this.events = Objects.requireNonNull(events, "events");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.firstBackoff = Objects.requireNonNull(firstBackoff, "firstBackoff");
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "outpost-status-writer");
              t.setDaemon(true);
              return t;
            });
  }

  /** Replaces what is wanted; returns at once. */
  void submit(Collection<DesiredStatus> statuses) {
    Map<String, DesiredStatus> next = new HashMap<>();
    for (DesiredStatus s : statuses) {
      next.put(s.ref().subject(), s);
    }
    wanted = Map.copyOf(next);
    queueDrain(0);
  }

  void leadershipGained() {
    executor.execute(
        () -> {
          settled.clear();
          retries.clear();
          events.reset();
          drain();
        });
  }

  void leadershipLost() {
    executor.execute(
        () -> {
          settled.clear();
          retries.clear();
        });
  }

  long writes() {
    return writes.get();
  }

  long failures() {
    return failures.get();
  }

  /** Waits until everything queued so far has been handled (tests). */
  void flush() throws InterruptedException {
    try {
      executor.submit(() -> {}).get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }

  private void queueDrain(long delayMillis) {
    if (delayMillis == 0) {
      if (drainQueued.compareAndSet(false, true)) {
        executor.execute(this::drain);
      }
      return;
    }
    // Writer thread only.
    if (retryTimer != null
        && !retryTimer.isDone()
        && retryTimer.getDelay(TimeUnit.MILLISECONDS) <= delayMillis) {
      return;
    }
    if (retryTimer != null) {
      retryTimer.cancel(false);
    }
    retryTimer = executor.schedule(this::drain, delayMillis, TimeUnit.MILLISECONDS);
  }

  private void drain() {
    drainQueued.set(false);
    Map<String, DesiredStatus> now = wanted;
    boolean leading = isLeader.getAsBoolean();
    settled.forEach(
        (key, done) -> {
          if (!now.containsKey(key)) {
            events.forget(done.ref()); // no longer read: deleted, or out of scope
            if (leading) {
              release(done.ref());
            }
          }
        });
    settled.keySet().retainAll(now.keySet());
    retries.keySet().retainAll(now.keySet());
    if (!isLeader.getAsBoolean()) {
      return;
    }
    long nextRetry = Long.MAX_VALUE;
    for (Map.Entry<String, DesiredStatus> entry : now.entrySet()) {
      if (!isLeader.getAsBoolean() || executor.isShutdown()) {
        return; // leadership lost mid-way: stop writing at once
      }
      DesiredStatus desired = entry.getValue();
      if (desired.equals(settled.get(entry.getKey()))) {
        continue;
      }
      Retry retry = retries.get(entry.getKey());
      if (retry != null && retry.notBeforeMillis() > clock.millis()) {
        nextRetry = Math.min(nextRetry, retry.notBeforeMillis());
        continue;
      }
      Retry again = write(desired, retry == null ? 0 : retry.attempt());
      if (again == null) {
        settled.put(entry.getKey(), desired);
        retries.remove(entry.getKey());
      } else {
        retries.put(entry.getKey(), again);
        nextRetry = Math.min(nextRetry, again.notBeforeMillis());
      }
    }
    if (nextRetry != Long.MAX_VALUE) {
      queueDrain(Math.max(1, nextRetry - clock.millis()));
    }
  }

  /**
   * Takes Outpost's conditions off an object it reported on and no longer reads (a Gateway whose
   * selector left Outpost's, a namespace no longer watched); a deleted object answers 404 and
   * that is the end of it. One attempt: a failure is logged, and the conditions stay until the
   * object is read again or removed by hand.
   */
  private void release(ResourceRef ref) {
    try {
      Resource<GenericKubernetesResource> resource = resources(ref).withName(ref.name());
      GenericKubernetesResource current = resource.get();
      if (current == null || !isLeader.getAsBoolean()) {
        return;
      }
      Object currentStatus = current.getAdditionalProperties().get("status");
      Map<String, Object> status = StatusMerge.release(currentStatus);
      if (!StatusMerge.differs(currentStatus, status)) {
        return;
      }
      current.setAdditionalProperty("status", status);
      resources(ref).resource(current).updateStatus();
      writes.incrementAndGet();
      LOG.info("{} is no longer read by Outpost; its Accepted and Reconciled conditions were removed", ref.subject());
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
        failures.incrementAndGet();
        LOG.warn(
            "could not remove Outpost's conditions from {}, which it no longer reads ({})",
            ref.subject(),
            KubernetesWatcher.describe(e));
      }
    }
  }

  /** Writes one object's status and events; null when done (or given up), else when to retry. */
  private Retry write(DesiredStatus desired, int attempt) {
    ResourceRef ref = desired.ref();
    try {
      for (int conflicts = 0; ; conflicts++) {
        try {
          writeStatus(desired);
          break;
        } catch (KubernetesClientException e) {
          if (e.getCode() != HttpURLConnection.HTTP_CONFLICT
              || conflicts >= IMMEDIATE_CONFLICT_RETRIES
              || !isLeader.getAsBoolean()) {
            throw e;
          }
        }
      }
    } catch (KubernetesClientException e) {
      return failed(ref, e, attempt, "get on " + plural(ref.kind()) + " and update on " + plural(ref.kind()) + "/status");
    }
    if (!isLeader.getAsBoolean()) {
      return null;
    }
    try {
      events.record(ref, desired.errors());
    } catch (KubernetesClientException e) {
      return failed(ref, e, attempt, "create on events");
    }
    return null;
  }

  private Retry failed(ResourceRef ref, KubernetesClientException e, int attempt, String permission) {
    int code = e.getCode();
    if (code == HttpURLConnection.HTTP_NOT_FOUND) {
      LOG.debug("{} was deleted before its status could be written; not retried", ref.subject());
      events.forget(ref);
      return null;
    }
    if (code == HttpURLConnection.HTTP_FORBIDDEN) {
      if (loggedForbidden.add(permission + " in " + ref.namespace())) {
        LOG.warn(
            "not allowed to report on {} (403): Outpost's service account needs {} in namespace"
                + " {} (see deploy/ RBAC); nothing is reported there until it has it and the"
                + " outcome changes or Outpost restarts",
            ref.subject(),
            permission,
            ref.namespace());
      }
      return null;
    }
    failures.incrementAndGet();
    if (attempt == 0) {
      LOG.warn(
          "reporting on {} failed ({}); retrying with backoff",
          ref.subject(),
          KubernetesWatcher.describe(e));
    }
    return new Retry(attempt + 1, clock.millis() + backoff(attempt).toMillis());
  }

  private void writeStatus(DesiredStatus desired) {
    ResourceRef ref = desired.ref();
    Resource<GenericKubernetesResource> resource = resources(ref).withName(ref.name());
    GenericKubernetesResource current = resource.get();
    if (current == null) {
      throw new KubernetesClientException("not found", HttpURLConnection.HTTP_NOT_FOUND, null);
    }
    String uid = current.getMetadata().getUid();
    if (!ref.uid().isEmpty() && uid != null && !ref.uid().equals(uid)) {
      // Deleted and created again since it was read: the next round reports on the new object.
      throw new KubernetesClientException("re-created", HttpURLConnection.HTTP_NOT_FOUND, null);
    }
    Object currentStatus = current.getAdditionalProperties().get("status");
    Map<String, Object> status = StatusMerge.merge(currentStatus, desired, clock.instant());
    if (!StatusMerge.differs(currentStatus, status)) {
      return; // already there, e.g. written by the previous leader
    }
    if (!isLeader.getAsBoolean()) {
      return;
    }
    current.setAdditionalProperty("status", status);
    resources(ref).resource(current).updateStatus();
    writes.incrementAndGet();
  }

  private NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
      resources(ResourceRef ref) {
    ResourceDefinitionContext context =
        new ResourceDefinitionContext.Builder()
            .withGroup(ref.group())
            .withVersion(ref.version())
            .withKind(ref.kind())
            .withPlural(plural(ref.kind()))
            .withNamespaced(true)
            .build();
    return client.genericKubernetesResources(context).inNamespace(ref.namespace());
  }

  private static String plural(String kind) {
    return IstioKind.EGRESS.stream()
        .filter(k -> k.kind().equals(kind))
        .map(IstioKind::plural)
        .findFirst()
        .orElse(kind.toLowerCase(java.util.Locale.ROOT) + "s");
  }

  private Duration backoff(int attempt) {
    Duration wait = firstBackoff.multipliedBy(1L << Math.min(attempt, 16));
    return wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
