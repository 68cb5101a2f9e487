package dev.cast.api.registry;

import dev.cast.api.errors.ApiException;
import jakarta.ws.rs.core.MultivaluedMap;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A read's blocking parameters, {@code ?index=N&wait=D}, read as Consul reads them: the wait is a
 * Go duration ({@code 10s}, {@code 1m30s}, {@code 250ms}), 5 minutes when absent and at most 10
 * (longer waits are cut to 10, as Consul does). What does not parse, and a negative wait, are
 * refused.
 */
public record Blocks(long index, Duration maxWait) {
  public static final Duration DEFAULT_WAIT = Duration.ofMinutes(5);
  public static final Duration MAX_WAIT = Duration.ofMinutes(10);

  private static final Pattern PART =
      Pattern.compile("([0-9]*(?:\\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)");

  /** No blocking: answer at once. */
  public static final Blocks NONE = new Blocks(0, Duration.ZERO);

  public static Blocks of(MultivaluedMap<String, String> query) {
    String index = query.getFirst("index");
    String wait = query.getFirst("wait");
    long min = index == null || index.isEmpty() ? 0 : parseIndex("index", index);
    Duration d = wait == null || wait.isEmpty() ? DEFAULT_WAIT : parseWait(wait);
    if (d.compareTo(MAX_WAIT) > 0) {
      d = MAX_WAIT;
    }
    return new Blocks(min, d);
  }

  /** A uint64 index as Consul writes it; the top bit is kept (Java's long, read unsigned). */
  public static long parseIndex(String name, String text) {
    try {
      return Long.parseUnsignedLong(text);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(
          "INVALID_INDEX", "Invalid " + name + " \"" + text + "\": expected an unsigned integer");
    }
  }

  public static Duration parseWait(String text) {
    return parseDuration("INVALID_WAIT", "wait time", text);
  }

  /**
   * A Go duration: {@code 300ms}, {@code 1.5h}, {@code 2h45m}; a bare {@code 0} is zero. Refused
   * with a 400 of {@code type} naming {@code what} when it does not parse or is negative.
   */
  public static Duration parseDuration(String type, String what, String text) {
    if (text.equals("0")) {
      return Duration.ZERO;
    }
    if (text.startsWith("-")) {
      throw ApiException.badRequest(
          type, "Invalid " + what + " \"" + text + "\": it cannot be negative");
    }
    String body = text.startsWith("+") ? text.substring(1) : text;
    Matcher m = PART.matcher(body);
    BigDecimal nanos = BigDecimal.ZERO;
    int at = 0;
    while (at < body.length() && m.find(at) && m.start() == at && !m.group(1).isEmpty()) {
      if (m.group(1).equals(".")) {
        break;
      }
      nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit(m.group(2)))));
      at = m.end();
    }
    if (at != body.length() || body.isEmpty()) {
      throw ApiException.badRequest(
          type,
          "Invalid " + what + " \"" + text + "\": expected a duration such as 10s, 1m30s or 250ms");
    }
    if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      throw ApiException.badRequest(type, "Invalid " + what + " \"" + text + "\": too large");
    }
    return Duration.ofNanos(nanos.longValue());
  }

  private static long unit(String suffix) {
    return switch (suffix) {
      case "ns" -> 1L;
      case "us", "µs", "μs" -> 1_000L;
      case "ms" -> 1_000_000L;
      case "s" -> 1_000_000_000L;
      case "m" -> 60_000_000_000L;
      default -> 3_600_000_000_000L;
    };
  }
}
