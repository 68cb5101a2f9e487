package dev.cast.bundle;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as written in cast.yml ({@code 500ms}, {@code 1s}, {@code 2m}, {@code 1h}, or
 * ISO-8601), and as people read them in failure messages ({@code 1s}, {@code 2.5s}).
 */
public final class Durations {

  private static final Pattern SIMPLE = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h)");

  private Durations() {}

  /**
   * Parses a duration such as {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h} or {@code PT1S}.
   *
   * @param text the text to parse
   * @return the duration, or empty when the text is not a duration
   */
  public static Optional<Duration> parse(String text) {
    String s = text.trim();
    Matcher m = SIMPLE.matcher(s);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return Optional.of(
          switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
          });
    }
    if (s.startsWith("P") || s.startsWith("p")) {
      try {
        return Optional.of(Duration.parse(s));
      } catch (DateTimeParseException | ArithmeticException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /**
   * Formats a duration the way cast.yml writes it, e.g. {@code 500ms}, {@code 10s}, {@code 2m}.
   *
   * @param d the duration
   * @return the shortest exact form with one unit, or ISO-8601 when none is exact
   */
  public static String format(Duration d) {
    if (d.getNano() % 1_000_000 != 0 || d.isNegative()) {
      return d.toString();
    }
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0 && ms != 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0 && ms != 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }

  /**
   * Formats a duration in seconds for a failure message, e.g. {@code 1s}, {@code 120s} or {@code
   * 2.5s}: unlike {@link #format}, every message speaks in one unit, so waits compare at a glance.
   *
   * @param duration the duration
   * @return whole seconds, or seconds with one decimal
   */
  public static String seconds(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0
        ? (millis / 1000) + "s"
        : String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
  }
}
