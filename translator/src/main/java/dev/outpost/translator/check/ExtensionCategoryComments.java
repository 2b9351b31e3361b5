package dev.outpost.translator.check;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@code [#extension-category: ...]} annotations out of the text of one Envoy API
 * .proto file: which fields take an extension, and of which categories.
 *
 * <p>Envoy's API marks every field that holds an extension's config with the categories of
 * extensions it accepts, in the comment above the field (or above the {@code oneof} that holds
 * it), e.g. {@code HttpFilter.typed_config}: {@code // [#extension-category: envoy.filters.http]}.
 * The protoc-generated descriptors drop comments, but java-control-plane's api jar ships the .proto
 * sources beside the classes, so the annotations can be read from them. The annotation may sit on
 * the {@code Any} itself, on a {@code oneof} around it, or on a field of a wrapper message
 * ({@code TypedExtensionConfig}, {@code TransportSocket}, {@code HttpFilter}) whose {@code Any}
 * then takes the category ({@link ExtensionSlots} resolves that).
 *
 * <p>A line-based reader, not a full .proto parser: Envoy's protos are machine-formatted (one
 * declaration per line), and what it finds is checked against the descriptors of the same files
 * (a field it names that does not exist is ignored), so a misread can only lose an annotation.
 */
final class ExtensionCategoryComments {
  private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;");
  private static final Pattern CATEGORY =
      Pattern.compile("^\\s*//\\s*\\[#extension-category:\\s*([^\\]]+)\\]");
  private static final Pattern BLOCK =
      Pattern.compile("^\\s*(message|enum|oneof|service|extend)\\s+([\\w.]+)\\s*\\{");
  private static final Pattern FIELD =
      Pattern.compile(
          "^\\s*(?:repeated\\s+|optional\\s+)?(?:map\\s*<[^>]+>|[\\w.]+)\\s+(\\w+)\\s*=\\s*\\d+");

  private ExtensionCategoryComments() {}

  /** A block the reader is inside: a message (by full name), a oneof, or anything else. */
  private record Block(String kind, String name, ImmutableSet<String> categories) {}

  /**
   * {@code message full name + "." + field name} to the categories annotated on the field (or on
   * its oneof), in file order.
   */
  static ImmutableMap<String, ImmutableSet<String>> read(String protoText) {
    Map<String, ImmutableSet<String>> out = new LinkedHashMap<>();
    String protoPackage = "";
    Deque<Block> blocks = new ArrayDeque<>();
    Set<String> pending = new LinkedHashSet<>();
    for (String line : protoText.split("\n", -1)) {
      String trimmed = line.strip();
      if (trimmed.startsWith("//")) {
        Matcher category = CATEGORY.matcher(line);
        if (category.find()) {
          Arrays.stream(category.group(1).split(","))
              .map(String::strip)
              .filter(name -> !name.isEmpty())
              .forEach(pending::add);
        }
        continue;
      }
      Matcher packageLine = PACKAGE.matcher(line);
      if (packageLine.find()) {
        protoPackage = packageLine.group(1);
      }
      String code = withoutCommentsAndStrings(line);
      Matcher block = BLOCK.matcher(code);
      boolean opensNamedBlock = block.find();
      if (!opensNamedBlock) {
        Matcher field = FIELD.matcher(code);
        Block enclosing = blocks.peek();
        if (field.find() && enclosing != null) {
          recordField(blocks, field.group(1), pending, out);
        }
      }
      boolean first = true;
      for (int i = 0; i < code.length(); i++) {
        char c = code.charAt(i);
        if (c == '{') {
          if (first && opensNamedBlock) {
            blocks.push(namedBlock(block.group(1), block.group(2), protoPackage, blocks, pending));
          } else {
            blocks.push(new Block("other", "", ImmutableSet.of()));
          }
          first = false;
        } else if (c == '}' && !blocks.isEmpty()) {
          blocks.pop();
        }
      }
      if (!trimmed.isEmpty()) {
        pending.clear(); // a comment run belongs to the declaration right below it
      }
    }
    return ImmutableMap.copyOf(out);
  }

  private static Block namedBlock(
      String kind, String name, String protoPackage, Deque<Block> blocks, Set<String> pending) {
    if (kind.equals("message")) {
      Block outer = innermostMessage(blocks);
      String prefix = outer != null ? outer.name() : protoPackage;
      return new Block(kind, prefix.isEmpty() ? name : prefix + "." + name, ImmutableSet.of());
    }
    if (kind.equals("oneof")) {
      return new Block(kind, name, ImmutableSet.copyOf(pending));
    }
    return new Block(kind, name, ImmutableSet.of());
  }

  private static void recordField(
      Deque<Block> blocks,
      String fieldName,
      Set<String> pending,
      Map<String, ImmutableSet<String>> out) {
    Block enclosing = blocks.peek();
    Set<String> categories = new LinkedHashSet<>(pending);
    Block message = enclosing;
    if (enclosing.kind().equals("oneof")) {
      categories.addAll(enclosing.categories());
      message = innermostMessage(blocks);
    }
    if (message == null || !message.kind().equals("message") || categories.isEmpty()) {
      return; // enum values, extend blocks, fields without an annotation
    }
    out.put(message.name() + "." + fieldName, ImmutableSet.copyOf(categories));
  }

  /** The nearest enclosing message, skipping oneofs; null outside any message. */
  private static Block innermostMessage(Deque<Block> blocks) {
    for (Block block : blocks) {
      if (block.kind().equals("message")) {
        return block;
      }
      if (!block.kind().equals("oneof")) {
        return null;
      }
    }
    return null;
  }

  /** The line without its trailing comment and with string literals blanked (braces in them). */
  private static String withoutCommentsAndStrings(String line) {
    StringBuilder out = new StringBuilder(line.length());
    boolean inString = false;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == quote) {
          inString = false;
        }
        out.append(' ');
      } else if (c == '"' || c == '\'') {
        inString = true;
        quote = c;
        out.append(' ');
      } else if (c == '/' && i + 1 < line.length() && line.charAt(i + 1) == '/') {
        break;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
