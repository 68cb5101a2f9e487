package dev.cast.activities.service;

import java.time.Duration;
import java.util.Locale;

/** Durations as people read them in failure messages: {@code 1s}, {@code 2.5s}. */
public final class Durations {
  private Durations() {}

  public static String seconds(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0
        ? (millis / 1000) + "s"
        : String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
  }
}
