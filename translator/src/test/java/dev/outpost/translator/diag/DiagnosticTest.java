package dev.outpost.translator.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DiagnosticTest {

  @Test
  void aUsualMessageIsKeptAsWritten() {
    String message = "\"" + "a".repeat(100) + "\" is not a valid host name; fix it";
    assertEquals(message, Diagnostic.error("ServiceEntry default/x", "spec.hosts[0]", message).message());
  }

  @Test
  void aMessageQuotingAHugeValueQuotesItsBeginningAndLength() {
    String host = "h".repeat(200_000);
    Diagnostic d =
        Diagnostic.error("ServiceEntry default/x", "spec.hosts[0]", "\"" + host + "\" is not a valid host name; fix it");
    assertEquals(
        "\"" + "h".repeat(Diagnostic.QUOTED) + "…\" (200000 characters) is not a valid host name; fix it", d.message());
  }

  @Test
  void aHugeMessageWithoutQuotesIsCutToTheLimit() {
    Diagnostic d = Diagnostic.warning("file x.yaml", "", "word ".repeat(100_000));
    assertTrue(d.message().length() < Diagnostic.MAX_TEXT + 50, "length " + d.message().length());
    assertTrue(d.message().endsWith("more characters)"), d.message().substring(Diagnostic.MAX_TEXT - 10));
  }

  @Test
  void aHugeFieldPathIsCutToo() {
    Diagnostic d = Diagnostic.error("Gateway default/g", "spec.selector." + "k".repeat(50_000), "is wrong");
    assertTrue(d.field().length() < Diagnostic.MAX_TEXT + 50, "length " + d.field().length());
  }
}
