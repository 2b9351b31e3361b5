package dev.outpost.translator.parse;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.outpost.translator.api.InputLimits;
import java.io.IOException;

/**
 * Checks each token against {@link InputLimits} as Jackson reads it: scalar length, number length
 * and nesting depth, which Jackson's own StreamReadConstraints do not all enforce for YAML. YAML
 * aliases are refused: Jackson reads {@code *name} as the string "name" instead of the anchored
 * value, which would silently change a resource (it also means an alias bomb cannot expand).
 */
final class LimitedParser extends JsonParserDelegate {
  private int depth;

  LimitedParser(JsonParser parser) {
    super(parser);
  }

  /** A limit that bit; its message says which, and what to do, and never quotes the input. */
  static final class LimitExceeded extends JsonProcessingException {
    LimitExceeded(String message, JsonParser parser) {
      super(message, parser.currentLocation());
    }
  }

  @Override
  public JsonToken nextToken() throws IOException {
    JsonToken token = super.nextToken();
    if (token == null) {
      return null;
    }
    if (delegate instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
      throw new LimitExceeded(
          "uses a YAML alias (*"
              + shortened(yaml.getText())
              + "); Outpost does not expand YAML anchors and aliases: write the value out",
          delegate);
    }
    switch (token) {
      case START_OBJECT, START_ARRAY -> {
        if (++depth > InputLimits.MAX_NESTING_DEPTH) {
          throw new LimitExceeded(tooDeep(), delegate);
        }
      }
      case END_OBJECT, END_ARRAY -> depth--;
      case FIELD_NAME, VALUE_STRING -> {
        if (delegate.getTextLength() > InputLimits.MAX_SCALAR_CHARS) {
          throw new LimitExceeded(scalarTooLong(), delegate);
        }
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        if (delegate.getTextLength() > InputLimits.MAX_NUMBER_CHARS) {
          throw new LimitExceeded(numberTooLong(), delegate);
        }
      }
      default -> {}
    }
    return token;
  }

  @Override
  public JsonToken nextValue() throws IOException {
    // the delegate's own nextValue() would bypass the checks in nextToken()
    JsonToken token = nextToken();
    return token == JsonToken.FIELD_NAME ? nextToken() : token;
  }

  private static String shortened(String name) {
    return name.length() <= 40 ? name : name.substring(0, 40) + "...";
  }

  static String tooDeep() {
    return "is nested more than "
        + InputLimits.MAX_NESTING_DEPTH
        + " levels deep (the limit); Kubernetes resources need far fewer: check that the file is"
        + " not generated wrongly or corrupted";
  }

  static String numberTooLong() {
    return "has a number of more than "
        + InputLimits.MAX_NUMBER_CHARS
        + " digits (the limit); no field takes such a number";
  }

  static String scalarTooLong() {
    return "has a value longer than "
        + InputLimits.MAX_SCALAR_CHARS
        + " characters (the limit, 1 MiB); no Kubernetes object holds such a value: remove it, or"
        + " move large data out of the config directory";
  }
}
