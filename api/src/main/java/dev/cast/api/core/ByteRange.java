package dev.cast.api.core;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One byte range of an HTTP {@code Range} header (RFC 9110 section 14.1.2), as a BitTorrent web
 * seed (BEP 19) or a resuming HTTP client asks for it: {@code bytes=first-last}, {@code
 * bytes=first-} or {@code bytes=-suffix}.
 *
 * @param first the first byte, from 0
 * @param last the last byte, inclusive
 */
public record ByteRange(long first, long last) {
  private static final Pattern SINGLE = Pattern.compile("bytes=(\\d*)-(\\d*)");

  public long length() {
    return last - first + 1;
  }

  /** {@code bytes first-last/size}, for Content-Range. */
  public String contentRange(long size) {
    return "bytes " + first + "-" + last + "/" + size;
  }

  /**
   * The range a header asks for within a body of {@code size} bytes: empty when there is no header
   * or it is not a single byte range (the whole body is sent then, as RFC 9110 allows).
   *
   * @throws Unsatisfiable when the range lies outside the body (answer 416)
   */
  public static Optional<ByteRange> parse(String header, long size) {
    if (header == null) {
      return Optional.empty();
    }
    Matcher m = SINGLE.matcher(header.trim());
    if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
      return Optional.empty();
    }
    try {
      if (m.group(1).isEmpty()) {
        long suffix = Long.parseLong(m.group(2));
        if (suffix == 0 || size == 0) {
          throw new Unsatisfiable();
        }
        return Optional.of(new ByteRange(Math.max(0, size - suffix), size - 1));
      }
      long first = Long.parseLong(m.group(1));
      long last = m.group(2).isEmpty() ? size - 1 : Long.parseLong(m.group(2));
      if (first >= size || last < first) {
        throw new Unsatisfiable();
      }
      return Optional.of(new ByteRange(first, Math.min(last, size - 1)));
    } catch (NumberFormatException tooLarge) {
      throw new Unsatisfiable();
    }
  }

  /** The range cannot be served: 416 with {@code Content-Range: bytes * /size}. */
  public static final class Unsatisfiable extends RuntimeException {
    Unsatisfiable() {
      super("range not satisfiable", null, false, false);
    }
  }
}
