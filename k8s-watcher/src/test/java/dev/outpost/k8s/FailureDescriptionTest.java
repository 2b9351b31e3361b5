package dev.outpost.k8s;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.WatcherException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class FailureDescriptionTest {

  @Test
  void anUnreadableWatchEventIsNeverQuoted() {
    String raw = "{\"type\":\"MODIFIED\",\"object\":{\"kind\":\"Secret\",\"data\":{\"tls.key\":\"LS0tLS1CRUdJTiBQUklWQVRF\"}}}";
    WatcherException e =
        new WatcherException("Couldn't deserialize watch event: " + raw, new IllegalStateException("bad"), raw);
    String logged = KubernetesWatcher.describe(new KubernetesClientException("An error has occurred.", e));
    assertFalse(logged.contains("LS0t"), logged);
    assertFalse(logged.contains("tls.key"), logged);
    assertTrue(logged.contains("not logged"), logged);
  }

  @Test
  void otherFailuresNameTheirCause() {
    String logged =
        KubernetesWatcher.describe(
            new KubernetesClientException("An error has occurred.", new ConnectException("Connection refused")));
    assertTrue(logged.contains("Connection refused"), logged);
  }
}
