package dev.outpost.translator.patch;

import com.google.protobuf.Message;
import dev.outpost.translator.model.EnvoyFilter;
import java.util.Objects;
import java.util.Optional;

/**
 * A patch with its value parsed into the Envoy type it patches ({@link PatchValues}); empty for
 * REMOVE.
 */
record ParsedPatch(EnvoyFilter.Patch patch, Optional<Message> value) {
  ParsedPatch {
    Objects.requireNonNull(patch, "patch");
    Objects.requireNonNull(value, "value");
  }

  /** The value as the type the patcher expects; PatchValues made it of that type. */
  <M extends Message> M value(Class<M> type) {
    return type.cast(value.orElseThrow(() -> new IllegalStateException("patch has no value")));
  }

  EnvoyFilter.Operation operation() {
    return patch.operation();
  }
}
