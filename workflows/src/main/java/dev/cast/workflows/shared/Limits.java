package dev.cast.workflows.shared;

import java.time.Duration;

/**
 * The range of every duration and count a request may carry. The api refuses a request outside them
 * (400 naming the field and the range); a workflow checks again before it computes with them and
 * ends FAILED rather than failing its workflow tasks forever (a health deadline of 2^63 s once
 * overflowed a timeout and jammed the app until a restart).
 */
public final class Limits {
  public static final Duration MIN_HEALTHY_DEADLINE = Duration.ofSeconds(1);
  public static final Duration MAX_HEALTHY_DEADLINE = Duration.ofHours(1);
  public static final Duration MAX_MIN_HEALTHY_TIME = Duration.ofHours(1);
  public static final Duration MAX_PROGRESS_DEADLINE = Duration.ofHours(24);
  public static final Duration MAX_UNREACHABLE_AFTER = Duration.ofHours(24);

  /** Hosts in one request, and so the largest batch, canary or maxUnavailable. */
  public static final int MAX_HOSTS = 10_000;

  public static final int MAX_REASON_CHARS = 1_000;
  public static final int MAX_SELECTOR_LABELS = 16;
  public static final int MAX_LABEL_KEY_CHARS = 63;
  public static final int MAX_LABEL_VALUE_CHARS = 255;

  private Limits() {}

  /** Null when {@code millis} lies in [min, max], else what is wrong. */
  public static String outside(String field, long millis, Duration min, Duration max) {
    if (millis >= min.toMillis() && millis <= max.toMillis()) {
      return null;
    }
    return field + " " + millis + " ms is outside " + describe(min) + " to " + describe(max);
  }

  /** A duration as people write it in a request: {@code 1s}, {@code 10m}, {@code 24h}. */
  public static String describe(Duration duration) {
    long seconds = duration.toSeconds();
    if (seconds > 0 && seconds % 3600 == 0) {
      return seconds / 3600 + "h";
    }
    if (seconds > 0 && seconds % 60 == 0) {
      return seconds / 60 + "m";
    }
    return seconds + "s";
  }
}
