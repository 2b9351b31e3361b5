package dev.outpost.translator.check;

import static dev.outpost.translator.check.SnapshotFixtures.validSnapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.google.protobuf.Message;
import dev.outpost.translator.api.EnvoyResources;
import dev.outpost.translator.check.MessageFields.MessageField;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageFieldsTest {

  @Test
  void everyEnvoyMessageFieldIsReadThroughItsGeneratedAccessors() {
    List<String> reflective = new ArrayList<>();
    int fields = 0;
    for (String name : EnvoyTypeRegistry.knownMessageNames()) {
      Class<? extends Message> type =
          EnvoyTypeRegistry.messageClassForTypeUrl("type.googleapis.com/" + name).orElseThrow();
      Message instance = com.google.protobuf.Internal.getDefaultInstance(type);
      for (MessageField field : MessageFields.of(instance)) {
        fields++;
        if (!field.isMap() && !field.access().generated()) {
          reflective.add(name + "." + field.name());
        }
      }
    }
    assertFalse(fields < 1000, "expected the Envoy API's message fields, found " + fields);
    // Falling back is correct but slow; this names any field whose accessor name is not found.
    assertEquals(List.of(), reflective);
  }

  @Test
  void generatedAccessorsAnswerAsProtobufReflectionDoes() {
    EnvoyResources snapshot = validSnapshot();
    List<Message> all = new ArrayList<>();
    all.addAll(snapshot.listeners());
    all.addAll(snapshot.routes());
    all.addAll(snapshot.clusters());
    all.addAll(snapshot.endpoints());
    all.addAll(snapshot.secrets());
    int compared = 0;
    for (Message resource : all) {
      List<Message> messages = new ArrayList<>();
      MessageWalker.walk(
          resource,
          new MessageWalker.Visitor() {
            @Override
            public void message(String path, Message message, boolean pgvApplies) {
              messages.add(message);
            }

            @Override
            public void problem(String path, String problem) {}
          });
      for (Message message : messages) {
        for (MessageField field : MessageFields.of(message)) {
          FieldAccess access = field.access();
          if (field.repeated()) {
            int count = message.getRepeatedFieldCount(field.descriptor());
            assertEquals(count, access.count(message), field.name());
            for (int i = 0; i < count; i++) {
              assertSame(message.getRepeatedField(field.descriptor(), i), access.get(message, i));
            }
          } else {
            assertEquals(message.hasField(field.descriptor()), access.has(message), field.name());
            assertSame(message.getField(field.descriptor()), access.get(message), field.name());
          }
          compared++;
        }
      }
    }
    assertFalse(compared < 50, "compared only " + compared + " fields");
  }
}
