package dev.outpost.k8s;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Computes an object's new {@code status} from the one on the server and the conditions Outpost
 * wants. Pure. Other writers' conditions and fields (istiod's {@code validationMessages}, its own
 * condition types) are kept; only Outpost's condition types are replaced. A condition keeps its
 * {@code lastTransitionTime} while its {@code status} stays the same (a new message or generation
 * is not a transition), so an unchanged outcome yields a status equal to the current one and no
 * write.
 */
final class StatusMerge {
  private StatusMerge() {}

  static Map<String, Object> merge(Object currentStatus, DesiredStatus desired, Instant now) {
    Map<String, Object> status = new LinkedHashMap<>();
    if (currentStatus instanceof Map<?, ?> current) {
      current.forEach((k, v) -> status.put(String.valueOf(k), v));
    }
    List<Map<String, Object>> existing = conditions(status.get("conditions"));
    List<Map<String, Object>> merged = new ArrayList<>();
    for (Map<String, Object> condition : existing) {
      if (!(condition.get("type") instanceof String type && ConditionMapper.OWNED_TYPES.contains(type))) {
        merged.add(condition);
      }
    }
    String timestamp = now.truncatedTo(ChronoUnit.SECONDS).toString();
    for (StatusCondition want : desired.conditions()) {
      Map<String, Object> previous =
          existing.stream().filter(c -> want.type().equals(c.get("type"))).findFirst().orElse(null);
      Map<String, Object> condition = new LinkedHashMap<>();
      condition.put("type", want.type());
      condition.put("status", want.status());
      condition.put("reason", want.reason());
      condition.put("message", want.message());
      if (want.observedGeneration() > 0) {
        condition.put("observedGeneration", want.observedGeneration());
      }
      Object since =
          previous != null
                  && want.status().equals(previous.get("status"))
                  && previous.get("lastTransitionTime") != null
              ? previous.get("lastTransitionTime")
              : timestamp;
      condition.put("lastTransitionTime", since);
      merged.add(condition);
    }
    status.put("conditions", merged);
    long generation = desired.ref().generation();
    if (generation > 0) {
      status.put("observedGeneration", generation);
    }
    return status;
  }

  /**
   * The status without the conditions Outpost wrote ({@link ConditionMapper#OWNED_TYPES} with one
   * of {@link ConditionMapper#OWN_REASONS}), for an object Outpost no longer reads: a Gateway now
   * left to istiod must not keep saying Outpost accepted it. Everything else stays.
   */
  static Map<String, Object> release(Object currentStatus) {
    Map<String, Object> status = new LinkedHashMap<>();
    if (currentStatus instanceof Map<?, ?> current) {
      current.forEach((k, v) -> status.put(String.valueOf(k), v));
    }
    if (status.containsKey("conditions")) {
      List<Map<String, Object>> kept = new ArrayList<>();
      for (Map<String, Object> condition : conditions(status.get("conditions"))) {
        // List.of(...).contains(null) throws: a condition without reason (istiod's) is not ours.
        boolean outposts =
            condition.get("type") instanceof String type
                && ConditionMapper.OWNED_TYPES.contains(type)
                && condition.get("reason") instanceof String reason
                && ConditionMapper.OWN_REASONS.contains(reason);
        if (!outposts) {
          kept.add(condition);
        }
      }
      status.put("conditions", kept);
    }
    return status;
  }

  /**
   * Whether writing {@code wanted} would change {@code current}. Numbers are compared by value:
   * the server's JSON may give back an Integer where Outpost wrote a Long.
   */
  static boolean differs(Object current, Map<String, Object> wanted) {
    return !Objects.equals(normalize(current), normalize(wanted));
  }

  private static Object normalize(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), normalize(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(StatusMerge::normalize).toList();
    }
    if (value instanceof Number n && !(value instanceof Double || value instanceof Float)) {
      return n.longValue();
    }
    return value;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> conditions(Object value) {
    List<Map<String, Object>> out = new ArrayList<>();
    if (value instanceof List<?> list) {
      for (Object item : list) {
        if (item instanceof Map<?, ?> map) {
          Map<String, Object> copy = new LinkedHashMap<>();
          map.forEach((k, v) -> copy.put(String.valueOf(k), v));
          out.add(copy);
        }
      }
    }
    return out;
  }
}
