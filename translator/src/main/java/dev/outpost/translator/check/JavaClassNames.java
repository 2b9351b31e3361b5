package dev.outpost.translator.check;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * The binary name of the Java class that protoc generates for a message, following protoc's
 * naming rules (java_package, java_multiple_files, java_outer_classname). There is no API in
 * protobuf-java to go from a Descriptor to its generated class, and unpacking an {@code Any} into
 * the generated class is what lets the PGV validators (which are looked up by class) run on it.
 */
final class JavaClassNames {
  private JavaClassNames() {}

  /**
   * @param outerClass the binary name of the file's outer class when it is already known (found
   *     by scanning); otherwise it is derived the way protoc derives it
   */
  static String messageClassName(Descriptor message, Optional<String> outerClass) {
    FileDescriptor file = message.getFile();
    Deque<String> names = new ArrayDeque<>();
    for (Descriptor type = message; type != null; type = type.getContainingType()) {
      names.addFirst(type.getName());
    }
    String nested = String.join("$", names);
    if (file.getOptions().getJavaMultipleFiles()) {
      String javaPackage = javaPackage(file);
      return javaPackage.isEmpty() ? nested : javaPackage + "." + nested;
    }
    return outerClass.orElseGet(() -> derivedOuterClassName(file)) + "$" + nested;
  }

  private static String javaPackage(FileDescriptor file) {
    return file.getOptions().hasJavaPackage()
        ? file.getOptions().getJavaPackage()
        : file.getPackage();
  }

  static String derivedOuterClassName(FileDescriptor file) {
    String simpleName;
    if (file.getOptions().hasJavaOuterClassname()) {
      simpleName = file.getOptions().getJavaOuterClassname();
    } else {
      String base = file.getName().substring(file.getName().lastIndexOf('/') + 1);
      if (base.endsWith(".proto")) {
        base = base.substring(0, base.length() - ".proto".length());
      }
      simpleName = camelCase(base);
      if (clashesWithTopLevelType(file, simpleName)) {
        simpleName += "OuterClass";
      }
    }
    String javaPackage = javaPackage(file);
    return javaPackage.isEmpty() ? simpleName : javaPackage + "." + simpleName;
  }

  /** protoc's UnderscoresToCamelCase with the first letter capitalised. */
  private static String camelCase(String base) {
    StringBuilder result = new StringBuilder();
    boolean capitalizeNext = true;
    for (char c : base.toCharArray()) {
      if (c >= 'a' && c <= 'z') {
        result.append(capitalizeNext ? Character.toUpperCase(c) : c);
        capitalizeNext = false;
      } else if (c >= 'A' && c <= 'Z') {
        result.append(c);
        capitalizeNext = false;
      } else if (c >= '0' && c <= '9') {
        result.append(c);
        capitalizeNext = true;
      } else {
        capitalizeNext = true;
      }
    }
    return result.toString();
  }

  private static boolean clashesWithTopLevelType(FileDescriptor file, String name) {
    return file.getMessageTypes().stream().anyMatch(type -> type.getName().equals(name))
        || file.getEnumTypes().stream().anyMatch(type -> type.getName().equals(name))
        || file.getServices().stream().anyMatch(type -> type.getName().equals(name));
  }
}
