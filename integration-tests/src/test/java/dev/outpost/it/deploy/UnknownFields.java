package dev.outpost.it.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Fields the typed model did not recognise. fabric8 keeps an unknown field (a typo such as
 * {@code readinesProbe}, or a field in the wrong place) in {@code additionalProperties} instead of
 * failing, and the API server would drop or reject it; this walks a parsed object and names every
 * such field with its path.
 */
final class UnknownFields {
  private UnknownFields() {}

  static List<String> of(Object root) {
    List<String> found = new ArrayList<>();
    walk(root, "", found);
    return found;
  }

  private static void walk(Object value, String path, List<String> found) {
    if (value == null || value instanceof GenericKubernetesResource || !value.getClass().getName().startsWith("io.fabric8.")) {
      if (value instanceof Collection<?> items) {
        int i = 0;
        for (Object item : items) {
          walk(item, path + "[" + i++ + "]", found);
        }
      } else if (value instanceof Map<?, ?> map) {
        map.forEach((k, v) -> walk(v, path + "." + k, found));
      }
      return;
    }
    if (value instanceof Quantity || value instanceof IntOrString || value.getClass().isEnum()) {
      return;
    }
    for (Method getter : value.getClass().getMethods()) {
      if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers()) || getter.getDeclaringClass() == Object.class) {
        continue;
      }
      String name = getter.getName();
      if (!name.startsWith("get") || name.equals("getClass")) {
        continue;
      }
      Object child;
      try {
        child = getter.invoke(value);
      } catch (IllegalAccessException | InvocationTargetException e) {
        continue;
      }
      if (name.equals("getAdditionalProperties")) {
        // An open schema's free-form content is declared, not unknown.
        if (child instanceof Map<?, ?> extra && !extra.isEmpty() && !(value instanceof JSONSchemaProps)) {
          extra.keySet().forEach(k -> found.add(path + "." + k));
        }
        continue;
      }
      walk(child, path + "." + decapitalize(name.substring(3)), found);
    }
  }

  private static String decapitalize(String s) {
    return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }
}
