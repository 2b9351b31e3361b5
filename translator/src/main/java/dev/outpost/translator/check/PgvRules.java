package dev.outpost.translator.check;

import com.google.protobuf.Message;
import io.envoyproxy.pgv.ValidationException;
import io.envoyproxy.pgv.ValidatorImpl;
import io.envoyproxy.pgv.ValidatorIndex;
import java.lang.reflect.Method;
import java.util.Optional;

/**
 * Envoy's protoc-gen-validate rules for one message, without descending into its message fields.
 *
 * <p>PGV's own {@code ReflectiveValidatorIndex} validates a whole tree and stops at the first
 * violation, naming only the proto field ({@code .envoy.config.cluster.v3.Cluster.name}), not
 * where in the resource it is. {@link MessageWalker} visits every nested message itself (it must
 * anyway, to open every {@code Any}), so validating each message shallowly, with an index that
 * answers "valid" for children, gives one violation per message with its full path.
 *
 * <p>Validators are found the way {@code ReflectiveValidatorIndex} finds them: the generated class
 * {@code <outermost class>Validator} next to the message class, whose static {@code
 * validatorFor(Class)} returns the validator for that message or one nested in it.
 */
final class PgvRules {
  private static final ClassValue<ValidatorImpl<Object>> VALIDATORS =
      new ClassValue<>() {
        @Override
        protected ValidatorImpl<Object> computeValue(Class<?> messageClass) {
          return validatorFor(messageClass);
        }
      };

  private PgvRules() {}

  /** The first rule of this message's own fields that the message breaks, if any. */
  static Optional<ValidationException> violation(Message message) {
    try {
      VALIDATORS.get(message.getClass()).assertValid(message, ValidatorIndex.ALWAYS_VALID);
      return Optional.empty();
    } catch (ValidationException e) {
      return Optional.of(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static ValidatorImpl<Object> validatorFor(Class<?> messageClass) {
    Class<?> outermost = messageClass;
    while (outermost.getEnclosingClass() != null) {
      outermost = outermost.getEnclosingClass();
    }
    Class<?> validatorClass;
    try {
      validatorClass =
          Class.forName(outermost.getName() + "Validator", true, messageClass.getClassLoader());
    } catch (ClassNotFoundException e) {
      // Messages without PGV annotations (google.protobuf.*, cel, opentelemetry ...) have no
      // generated validator: they carry no rules.
      return (ValidatorImpl<Object>) ValidatorImpl.ALWAYS_VALID;
    }
    try {
      Method factory = validatorClass.getDeclaredMethod("validatorFor", Class.class);
      ValidatorImpl<Object> validator = (ValidatorImpl<Object>) factory.invoke(null, messageClass);
      if (validator != null) {
        return validator;
      }
    } catch (ReflectiveOperationException e) {
      // fall through: fail closed below
    }
    // A validator class exists but does not cover this message: the generated code and the
    // message classes are out of step. A gate that cannot check must not pass.
    String reason = "no PGV validator generated for " + messageClass.getName() + ", cannot check it";
    return (message, index) -> {
      throw new ValidationException("", "", reason);
    };
  }
}
