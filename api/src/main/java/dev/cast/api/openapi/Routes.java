package dev.cast.api.openapi;

import jakarta.ws.rs.Path;
import java.lang.reflect.Method;
import java.util.regex.Pattern;

/** A resource method's path as OpenAPI writes it: {@code {key: .*}} becomes {@code {key}}. */
final class Routes {
  private static final Pattern TEMPLATE_REGEX = Pattern.compile("\\{\\s*(\\w[\\w.-]*)\\s*:[^}]*}");

  private Routes() {}

  static String path(Class<?> resource, Method method) {
    Path outer = resource.getAnnotation(Path.class);
    Path inner = method.getAnnotation(Path.class);
    String joined =
        (outer == null ? "" : outer.value()) + "/" + (inner == null ? "" : inner.value());
    String path = TEMPLATE_REGEX.matcher(joined).replaceAll("{$1}").replaceAll("/+", "/");
    if (!path.startsWith("/")) {
      path = "/" + path;
    }
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
