package dev.cast.api.core;

import dev.cast.api.errors.ApiException;
import dev.cast.workflows.shared.Limits;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Checks the durations, counts and sizes of a request against {@link Limits}, refusing with a 400
 * that names the field and the range.
 */
final class RequestChecks {
  private RequestChecks() {}

  /** A duration such as {@code 30s} or {@code 2m}, within [min, max]. */
  static Duration duration(String field, String text, Duration min, Duration max) {
    long millis;
    try {
      millis = io.dropwizard.util.Duration.parse(text).toMilliseconds();
    } catch (RuntimeException e) {
      throw invalid(field, "\"" + clip(text) + "\" is not a duration such as \"30s\" or \"2m\"");
    }
    if (millis < min.toMillis() || millis > max.toMillis()) {
      throw invalid(
          field,
          "\""
              + clip(text)
              + "\" is outside "
              + Limits.describe(min)
              + " to "
              + Limits.describe(max));
    }
    return Duration.ofMillis(millis);
  }

  /** A count within [min, max]. */
  static int count(String field, int value, int min, int max) {
    if (value < min || value > max) {
      throw invalid(field, value + " is outside " + min + " to " + max);
    }
    return value;
  }

  static String reason(String reason) {
    if (reason != null && reason.length() > Limits.MAX_REASON_CHARS) {
      throw invalid(
          "reason",
          "is "
              + reason.length()
              + " characters; at most "
              + Limits.MAX_REASON_CHARS
              + " are kept, so shorten it");
    }
    return reason;
  }

  static void selector(Map<String, String> selector) {
    if (selector == null) {
      return;
    }
    if (selector.size() > Limits.MAX_SELECTOR_LABELS) {
      throw invalid(
          "selector",
          selector.size() + " labels; at most " + Limits.MAX_SELECTOR_LABELS + " are allowed");
    }
    selector.forEach(
        (key, value) -> {
          if (key.isEmpty() || key.length() > Limits.MAX_LABEL_KEY_CHARS) {
            throw invalid(
                "selector",
                "label key \""
                    + clip(key)
                    + "\" must have 1 to "
                    + Limits.MAX_LABEL_KEY_CHARS
                    + " characters");
          }
          if (value == null || value.length() > Limits.MAX_LABEL_VALUE_CHARS) {
            throw invalid(
                "selector." + clip(key),
                "the value must be a string of at most "
                    + Limits.MAX_LABEL_VALUE_CHARS
                    + " characters");
          }
        });
  }

  static void hosts(List<String> hosts) {
    if (hosts != null && hosts.size() > Limits.MAX_HOSTS) {
      throw invalid("hosts", hosts.size() + " hosts; at most " + Limits.MAX_HOSTS + " per request");
    }
  }

  private static ApiException invalid(String field, String what) {
    return ApiException.badRequest("INVALID_REQUEST", "field \"" + field + "\": " + what);
  }

  /** At most 64 characters of what the client sent, for a message. */
  private static String clip(String text) {
    return text == null ? "null" : text.length() <= 64 ? text : text.substring(0, 64) + "…";
  }
}
