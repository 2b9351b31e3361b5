package dev.outpost.k8s;

import com.google.common.hash.Hashing;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Creates a {@code Warning} Event with reason {@code OutpostRejected} on an object for each of its
 * errors, once. The Event's name is derived from the object's uid and the error's text, so the
 * same error never makes a second Event: not on the next rebuild (remembered here), and not after
 * a restart or a leader handover (the API server answers 409 for the existing name). An error that
 * goes away and comes back is reported again. Runs on the status writer's thread only.
 */
final class EventRecorder {
  static final String REASON = "OutpostRejected";
  static final String COMPONENT = "outpost";
  /** An Event's message is cut by the API server at 1 KiB; cut it ourselves, visibly. */
  static final int MAX_MESSAGE = 1024;

  private final KubernetesClient client;
  private final String instance;
  private final Clock clock;
  // Per object (uid and subject): the names of the Events created or found for its current errors.
  private final Map<String, Set<String>> recorded = new HashMap<>();
  private volatile long created; // written on the writer thread only

  EventRecorder(KubernetesClient client, String instance, Clock clock) {
    this.client = client;
    this.instance = instance;
    this.clock = clock;
  }

  /**
   * Creates the Events not created yet for these errors and forgets those of errors that are
   * gone. Throws KubernetesClientException when an Event cannot be created (the caller retries).
   */
  void record(ResourceRef ref, Iterable<String> errors) {
    Set<String> done = recorded.computeIfAbsent(key(ref), k -> new HashSet<>());
    Set<String> current = new HashSet<>();
    for (String error : errors) {
      String name = eventName(ref, error);
      current.add(name);
      if (done.contains(name)) {
        continue;
      }
      try {
        client.v1().events().inNamespace(ref.namespace()).resource(event(ref, name, error)).create();
        created++;
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
          throw e;
        }
        // Already there: made before a restart or by the previous leader.
      }
      done.add(name);
    }
    done.retainAll(current); // an error that went away is reported again if it comes back
    if (done.isEmpty()) {
      recorded.remove(key(ref));
    }
  }

  void forget(ResourceRef ref) {
    recorded.remove(key(ref));
  }

  private static String key(ResourceRef ref) {
    return ref.uid() + " " + ref.subject();
  }

  /** Forgets everything: a new leader term checks against the API server again. */
  void reset() {
    recorded.clear();
  }

  long created() {
    return created;
  }

  /** {@code NAME.outpost.UID8.HASH16}: a valid Event name, the same for the same error. */
  static String eventName(ResourceRef ref, String error) {
    String hash =
        Hashing.sha256()
            .hashString(ref.uid() + "\n" + error, StandardCharsets.UTF_8)
            .toString()
            .substring(0, 16);
    String suffix = ".outpost." + shortUid(ref) + "." + hash;
    String base = ref.name().length() + suffix.length() > 253 ? ref.name().substring(0, 253 - suffix.length()) : ref.name();
    return base + suffix;
  }

  private static String shortUid(ResourceRef ref) {
    String uid = ref.uid().replaceAll("[^a-z0-9]", "");
    return uid.isEmpty() ? "nouid" : uid.substring(0, Math.min(8, uid.length()));
  }

  private Event event(ResourceRef ref, String name, String error) {
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    String message =
        error.length() <= MAX_MESSAGE ? error : error.substring(0, MAX_MESSAGE - 3) + "...";
    return new EventBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(ref.namespace())
        .endMetadata()
        .withNewInvolvedObject()
        .withApiVersion(ref.apiVersion())
        .withKind(ref.kind())
        .withNamespace(ref.namespace())
        .withName(ref.name())
        .withUid(ref.uid().isEmpty() ? null : ref.uid())
        .endInvolvedObject()
        .withType("Warning")
        .withReason(REASON)
        .withMessage(message)
        .withAction("Translate")
        .withNewSource()
        .withComponent(COMPONENT)
        .endSource()
        .withReportingComponent(COMPONENT)
        .withReportingInstance(instance)
        .withFirstTimestamp(now)
        .withLastTimestamp(now)
        .withCount(1)
        .build();
  }
}
