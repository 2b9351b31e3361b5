package dev.outpost.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusMergeTest {
  static final Instant T1 = Instant.parse("2026-11-22T08:00:00.400Z");
  static final Instant T2 = Instant.parse("2026-11-22T09:00:00Z");

  private static DesiredStatus desired(String acceptedStatus, String message, long generation) {
    ResourceRef ref = new ResourceRef("networking.istio.io/v1", "ServiceEntry", "default", "x", "u", generation);
    return new DesiredStatus(
        ref,
        ImmutableList.of(
            new StatusCondition("Accepted", acceptedStatus, "R", message, generation),
            new StatusCondition("Reconciled", "True", "Reconciled", "m", generation)),
        ImmutableList.of());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> condition(Map<String, Object> status, String type) {
    return ((List<Map<String, Object>>) status.get("conditions"))
        .stream().filter(c -> type.equals(c.get("type"))).findFirst().orElseThrow();
  }

  @Test
  void firstWriteSetsTransitionTimesAndGeneration() {
    Map<String, Object> status = StatusMerge.merge(null, desired("True", "ok", 2), T1);
    assertEquals("2026-11-22T08:00:00Z", condition(status, "Accepted").get("lastTransitionTime"));
    assertEquals(2L, condition(status, "Accepted").get("observedGeneration"));
    assertEquals(2L, status.get("observedGeneration"));
    assertTrue(StatusMerge.differs(null, status));
  }

  @Test
  void sameOutcomeLaterIsNoChange() {
    Map<String, Object> first = StatusMerge.merge(null, desired("True", "ok", 2), T1);
    Map<String, Object> again = StatusMerge.merge(first, desired("True", "ok", 2), T2);
    assertFalse(StatusMerge.differs(first, again));
  }

  @Test
  void transitionTimeMovesOnlyWhenTheStatusChanges() {
    Map<String, Object> first = StatusMerge.merge(null, desired("True", "ok", 2), T1);
    Map<String, Object> newMessage = StatusMerge.merge(first, desired("True", "other warning", 3), T2);
    assertTrue(StatusMerge.differs(first, newMessage));
    assertEquals("2026-11-22T08:00:00Z", condition(newMessage, "Accepted").get("lastTransitionTime"));
    Map<String, Object> flipped = StatusMerge.merge(newMessage, desired("False", "bad", 4), T2);
    assertEquals("2026-11-22T09:00:00Z", condition(flipped, "Accepted").get("lastTransitionTime"));
    assertEquals("2026-11-22T08:00:00Z", condition(flipped, "Reconciled").get("lastTransitionTime"));
  }

  @Test
  void othersConditionsAndFieldsAreKept() {
    Map<String, Object> istiod =
        Map.of(
            "conditions",
            List.of(Map.of("type", "StillPropagating", "status", "False")),
            "validationMessages",
            List.of(Map.of("level", "WARNING", "type", Map.of("code", "IST0101"))));
    Map<String, Object> status = StatusMerge.merge(istiod, desired("True", "ok", 1), T1);
    assertEquals(istiod.get("validationMessages"), status.get("validationMessages"));
    assertEquals("False", condition(status, "StillPropagating").get("status"));
    assertEquals("True", condition(status, "Accepted").get("status"));
  }

  @Test
  void numbersCompareByValue() {
    Map<String, Object> written = StatusMerge.merge(null, desired("True", "ok", 2), T1);
    Map<String, Object> readBack = new java.util.LinkedHashMap<>(written);
    readBack.put("observedGeneration", 2); // an Integer, as JSON may give back
    assertFalse(StatusMerge.differs(readBack, written));
  }

  @Test
  void releaseRemovesOnlyOutpostsConditions() {
    Map<String, Object> written = StatusMerge.merge(
        Map.of(
            "conditions", List.of(Map.of("type", "Reconciled", "status", "True", "message", "3/3 proxies up to date.")),
            "validationMessages", List.of(Map.of("level", "WARNING"))),
        desired("True", "ok", 2), T1);
    // Outpost's merge replaced istiod's Reconciled with its own; a later istiod write takes it back.
    Map<String, Object> istiodAgain = new java.util.LinkedHashMap<>(written);
    Map<String, Object> accepted = new java.util.LinkedHashMap<>(condition(written, "Accepted"));
    accepted.put("reason", "AcceptedWithWarnings");
    istiodAgain.put("conditions", List.of(
        accepted,
        Map.of("type", "Accepted", "status", "True", "reason", "SomeoneElses"),
        Map.of("type", "Reconciled", "status", "True", "message", "3/3 proxies up to date.")));
    Map<String, Object> released = StatusMerge.release(istiodAgain);
    assertEquals(
        List.of(
            Map.of("type", "Accepted", "status", "True", "reason", "SomeoneElses"),
            Map.of("type", "Reconciled", "status", "True", "message", "3/3 proxies up to date.")),
        released.get("conditions"),
        "Outpost's Accepted goes; a condition without one of Outpost's reasons (istiod's Reconciled) stays");
    assertEquals(written.get("validationMessages"), released.get("validationMessages"));
    assertTrue(StatusMerge.differs(istiodAgain, released));
    assertFalse(StatusMerge.differs(released, StatusMerge.release(released)), "releasing twice changes nothing");
    assertEquals(Map.of(), StatusMerge.release(null));
  }
}
