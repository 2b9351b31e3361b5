package dev.outpost.translator.check;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Optional;

/**
 * Reads one message-typed field of a message. {@link Message#hasField} and friends go through
 * protobuf's reflection tables, which call the generated accessor with {@code Method.invoke} and
 * an access check every time; on a 10k-service snapshot that is millions of calls. When the
 * message class has the generated accessors ({@code hasFoo()}, {@code getFoo()}, {@code
 * getFooCount()}, {@code getFoo(int)}), they are called through method handles instead; otherwise
 * (dynamic messages, names protoc had to mangle) the reflective API is used. Both read the same
 * generated methods, so the answers are the same.
 */
abstract class FieldAccess {
  private static final MethodHandles.Lookup LOOKUP = MethodHandles.publicLookup();
  private static final MethodType HAS = MethodType.methodType(boolean.class, Message.class);
  private static final MethodType GET = MethodType.methodType(Message.class, Message.class);
  private static final MethodType COUNT = MethodType.methodType(int.class, Message.class);
  private static final MethodType GET_AT =
      MethodType.methodType(Message.class, Message.class, int.class);

  /** Whether a singular field is set (for a oneof member: whether it is the case set). */
  abstract boolean has(Message message);

  abstract Message get(Message message);

  abstract int count(Message message);

  abstract Message get(Message message, int index);

  /** Whether the generated accessors are used (for tests). */
  boolean generated() {
    return this instanceof Generated;
  }

  /** The fastest correct way to read {@code field} of messages of class {@code type}. */
  static FieldAccess of(Class<?> type, FieldDescriptor field) {
    if (!field.isMapField()) {
      try {
        Optional<FieldAccess> generated = Generated.find(type, field);
        if (generated.isPresent()) {
          return generated.get();
        }
      } catch (ReflectiveOperationException | RuntimeException e) {
        // fall back to reflection below
      }
    }
    return new Reflective(field);
  }

  static FieldAccess reflective(FieldDescriptor field) {
    return new Reflective(field);
  }

  /** Through protobuf's reflection API. */
  private static final class Reflective extends FieldAccess {
    private final FieldDescriptor field;

    Reflective(FieldDescriptor field) {
      this.field = field;
    }

    @Override
    boolean has(Message message) {
      return message.hasField(field);
    }

    @Override
    Message get(Message message) {
      return (Message) message.getField(field);
    }

    @Override
    int count(Message message) {
      return message.getRepeatedFieldCount(field);
    }

    @Override
    Message get(Message message, int index) {
      return (Message) message.getRepeatedField(field, index);
    }
  }

  /** Through the generated accessors. */
  private static final class Generated extends FieldAccess {
    private final MethodHandle hasOrCount;
    private final MethodHandle get;

    private Generated(MethodHandle hasOrCount, MethodHandle get) {
      this.hasOrCount = hasOrCount;
      this.get = get;
    }

    static Optional<FieldAccess> find(Class<?> type, FieldDescriptor field)
        throws ReflectiveOperationException {
      String name = javaName(field.getName());
      if (field.isRepeated()) {
        Method count = type.getMethod("get" + name + "Count");
        Method get = type.getMethod("get" + name, int.class);
        if (count.getReturnType() != int.class || !holds(get, field)) {
          return Optional.empty();
        }
        return Optional.of(
            new Generated(
                LOOKUP.unreflect(count).asType(COUNT), LOOKUP.unreflect(get).asType(GET_AT)));
      }
      Method has = type.getMethod("has" + name);
      Method get = type.getMethod("get" + name);
      if (has.getReturnType() != boolean.class || !holds(get, field)) {
        return Optional.empty();
      }
      return Optional.of(
          new Generated(LOOKUP.unreflect(has).asType(HAS), LOOKUP.unreflect(get).asType(GET)));
    }

    /** Whether the getter returns the field's own message type (guards against mangled names). */
    private static boolean holds(Method getter, FieldDescriptor field)
        throws ReflectiveOperationException {
      Class<?> returned = getter.getReturnType();
      if (!Message.class.isAssignableFrom(returned) || Modifier.isStatic(getter.getModifiers())) {
        return false;
      }
      Object descriptor = returned.getMethod("getDescriptor").invoke(null);
      return descriptor == field.getMessageType();
    }

    /** protoc's Java accessor name: snake_case to CamelCase, capital after a digit too. */
    static String javaName(String fieldName) {
      StringBuilder out = new StringBuilder(fieldName.length());
      boolean capitalizeNext = true;
      for (int i = 0; i < fieldName.length(); i++) {
        char c = fieldName.charAt(i);
        if (c >= 'a' && c <= 'z') {
          out.append(capitalizeNext ? (char) (c - 'a' + 'A') : c);
          capitalizeNext = false;
        } else if (c >= 'A' && c <= 'Z') {
          out.append(c);
          capitalizeNext = false;
        } else if (c >= '0' && c <= '9') {
          out.append(c);
          capitalizeNext = true;
        } else {
          capitalizeNext = true;
        }
      }
      return out.toString();
    }

    @Override
    boolean has(Message message) {
      try {
        return (boolean) hasOrCount.invokeExact(message);
      } catch (Throwable e) {
        throw rethrow(e);
      }
    }

    @Override
    Message get(Message message) {
      try {
        return (Message) get.invokeExact(message);
      } catch (Throwable e) {
        throw rethrow(e);
      }
    }

    @Override
    int count(Message message) {
      try {
        return (int) hasOrCount.invokeExact(message);
      } catch (Throwable e) {
        throw rethrow(e);
      }
    }

    @Override
    Message get(Message message, int index) {
      try {
        return (Message) get.invokeExact(message, index);
      } catch (Throwable e) {
        throw rethrow(e);
      }
    }

    private static RuntimeException rethrow(Throwable e) {
      if (e instanceof RuntimeException r) {
        throw r;
      }
      if (e instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e); // generated accessors throw no checked exceptions
    }
  }
}
