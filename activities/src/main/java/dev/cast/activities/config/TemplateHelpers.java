package dev.cast.activities.config;

import com.github.jknack.handlebars.Helper;
import com.github.jknack.handlebars.Options;
import dev.cast.bundle.TemplateEngine;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cast's template helpers, named as consul-template names its functions: {@code key}, {@code
 * keyOrDefault}, {@code ls}, {@code service}, {@code env}, {@code secret}. A missing key or a
 * service without a healthy instance throws {@link Missing}.
 */
final class TemplateHelpers {
  /** What the record shows for a secret's value. */
  static final String MASK = "••••••";

  /** A value a template needs is not there. */
  static final class Missing extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Missing(String message) {
      super(message, null, false, false);
    }
  }

  private TemplateHelpers() {}

  /**
   * @param masked whether {@code secret} renders {@link #MASK} (for the record) or the value
   * @param secrets counts the values passed through {@code secret}
   */
  static Map<String, Helper<?>> of(
      RegistryReads registry, Map<String, String> env, boolean masked, int[] secrets) {
    Map<String, Helper<?>> helpers = new LinkedHashMap<>();
    helpers.put(
        "key",
        (Object name, Options options) -> {
          String key = name(name, "key", options);
          return registry
              .key(key)
              .orElseThrow(() -> new Missing("key \"" + key + "\" is not in the registry"));
        });
    helpers.put(
        "keyOrDefault",
        (Object name, Options options) -> {
          String key = name(name, "keyOrDefault", options);
          if (options.params.length != 1) {
            throw new IllegalArgumentException(
                "keyOrDefault takes a key and a default: keyOrDefault \"k\" \"v\"");
          }
          return registry.key(key).orElse(String.valueOf(options.params[0]));
        });
    helpers.put(
        "ls",
        (Object prefix, Options options) -> registry.list(folder(name(prefix, "ls", options))));
    helpers.put(
        "service",
        (Object name, Options options) -> {
          String service = name(name, "service", options);
          List<ServiceInstance> healthy = registry.healthy(service);
          if (healthy.isEmpty()) {
            throw new Missing("service \"" + service + "\" has no healthy instance");
          }
          return healthy.stream().map(ServiceInstance::model).toList();
        });
    helpers.put(
        "env", (Object name, Options options) -> env.getOrDefault(name(name, "env", options), ""));
    helpers.put(
        "secret",
        (Object value, Options options) -> {
          if (value == null) {
            throw new IllegalArgumentException("secret takes a value: secret (key \"k\")");
          }
          secrets[0]++;
          return masked ? MASK : value;
        });
    if (!helpers.keySet().equals(new java.util.HashSet<>(TemplateEngine.CAST_HELPERS))) {
      throw new IllegalStateException(
          "the helpers a push checks against differ: " + helpers.keySet());
    }
    return helpers;
  }

  /** {@code ls "config/app"} lists {@code config/app/}, as consul-template does. */
  private static String folder(String prefix) {
    return prefix.endsWith("/") ? prefix : prefix + "/";
  }

  private static String name(Object value, String helper, Options options) {
    if (!(value instanceof String text) || text.isEmpty()) {
      throw new IllegalArgumentException(
          helper + " takes a name in quotes, e.g. " + helper + " \"config/app/port\"");
    }
    return text;
  }
}
