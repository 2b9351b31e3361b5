package dev.outpost.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.diag.Diagnostic;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionMapperTest {
  static final ResourceRef REF =
      new ResourceRef("networking.istio.io/v1", "ServiceEntry", "default", "x", "uid-1", 3);
  static final String SUBJECT = "ServiceEntry default/x";

  private static ResourceOutcome outcome(
      List<Diagnostic> validation, List<Diagnostic> translation, boolean inEffect) {
    return new ResourceOutcome(
        REF, ImmutableList.copyOf(validation), ImmutableList.copyOf(translation), inEffect);
  }

  private static StatusCondition condition(DesiredStatus status, String type) {
    return status.conditions().stream().filter(c -> c.type().equals(type)).findFirst().orElseThrow();
  }

  @Test
  void noFindingsIsAcceptedAndReconciled() {
    DesiredStatus status = ConditionMapper.map(outcome(List.of(), List.of(), true));
    assertEquals(
        new StatusCondition("Accepted", "True", "Accepted", "Outpost accepted this resource", 3),
        condition(status, "Accepted"));
    assertEquals("True", condition(status, "Reconciled").status());
    assertEquals("Reconciled", condition(status, "Reconciled").reason());
    assertEquals(List.of(), status.errors());
  }

  @Test
  void warningsAreAcceptedWithTheWarningsInTheMessage() {
    Diagnostic w = Diagnostic.warning(SUBJECT, "spec.exportToo", "unknown field \"exportToo\" is ignored");
    DesiredStatus status = ConditionMapper.map(outcome(List.of(w), List.of(), true));
    StatusCondition accepted = condition(status, "Accepted");
    assertEquals("True", accepted.status());
    assertEquals("AcceptedWithWarnings", accepted.reason());
    assertEquals("WARNING spec.exportToo: unknown field \"exportToo\" is ignored", accepted.message());
    assertEquals(List.of(), status.errors());
  }

  @Test
  void validationErrorsAreInvalidAndSayWhatIsServed() {
    Diagnostic e = Diagnostic.error(SUBJECT, "spec.hosts", "is required");
    Diagnostic kept = Diagnostic.warning(SUBJECT, "", "is invalid, so its last good version stays in effect");
    DesiredStatus withLastGood = ConditionMapper.map(outcome(List.of(e, kept), List.of(), true));
    assertEquals("False", condition(withLastGood, "Accepted").status());
    assertEquals("Invalid", condition(withLastGood, "Accepted").reason());
    assertEquals(
        "ERROR spec.hosts: is required\nWARNING is invalid, so its last good version stays in effect",
        condition(withLastGood, "Accepted").message());
    assertEquals("False", condition(withLastGood, "Reconciled").status());
    assertEquals("LastGoodVersionInEffect", condition(withLastGood, "Reconciled").reason());
    assertEquals(List.of("spec.hosts: is required"), withLastGood.errors());

    DesiredStatus nothing = ConditionMapper.map(outcome(List.of(e), List.of(), false));
    assertEquals("NotInEffect", condition(nothing, "Reconciled").reason());
  }

  @Test
  void translationErrorsAreRejectedButReconciled() {
    Diagnostic e =
        Diagnostic.error("VirtualService default/x", "spec.http[0].route[0].destination.host", "host \"a\" is not declared");
    DesiredStatus status = ConditionMapper.map(outcome(List.of(), List.of(e), true));
    assertEquals("False", condition(status, "Accepted").status());
    assertEquals("Rejected", condition(status, "Accepted").reason());
    assertEquals("True", condition(status, "Reconciled").status());
    assertTrue(condition(status, "Reconciled").message().contains("without the parts"));
    assertEquals(1, status.errors().size());
  }

  @Test
  void errorsComeFirstAndLongListsAreCut() {
    List<Diagnostic> many = new ArrayList<>();
    many.add(Diagnostic.warning(SUBJECT, "a", "first warning"));
    for (int i = 0; i < 30; i++) {
      many.add(Diagnostic.error(SUBJECT, "spec.ports[" + i + "]", "bad"));
    }
    String message = ConditionMapper.describe(many);
    assertTrue(message.startsWith("ERROR spec.ports[0]: bad\n"), message);
    assertEquals(ConditionMapper.MAX_LINES + 1, message.lines().count(), message);
    assertTrue(message.endsWith("... and 11 more (see Outpost's log or /debug)"), message);
  }
}
