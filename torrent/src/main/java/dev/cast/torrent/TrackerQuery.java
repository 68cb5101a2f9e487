package dev.cast.torrent;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameters of a {@link Tracker} request's raw query string, each value percent-decoded to raw
 * bytes: BEP 3 sends {@code info_hash} and {@code peer_id} as URL-encoded binary, which a UTF-8
 * decoder would mangle.
 */
final class TrackerQuery {
  private static final Charset ISO = StandardCharsets.ISO_8859_1;

  private final Map<String, List<byte[]>> params;

  private TrackerQuery(Map<String, List<byte[]>> params) {
    this.params = params;
  }

  /**
   * Splits a raw query into its parameters.
   *
   * @throws IllegalArgumentException if a percent-escape is malformed or the query was decoded
   */
  static TrackerQuery parse(String rawQuery) {
    Map<String, List<byte[]>> params = new LinkedHashMap<>();
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = new String(percentDecode(eq < 0 ? pair : pair.substring(0, eq)), ISO);
      byte[] value = eq < 0 ? new byte[0] : percentDecode(pair.substring(eq + 1));
      params.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }
    return new TrackerQuery(params);
  }

  static byte[] percentDecode(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          throw new IllegalArgumentException("truncated percent-escape in the query");
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw new IllegalArgumentException("bad percent-escape in the query");
        }
        out.write((hi << 4) | lo);
        i += 2;
      } else if (c > 0xff) {
        throw new IllegalArgumentException("the query must be the raw, still-encoded query");
      } else {
        // '+' stays '+': clients percent-encode binary values, and a space never occurs in them.
        out.write(c);
      }
    }
    return out.toByteArray();
  }

  /** Every value of {@code key}, in the order given; none when it is absent. */
  List<byte[]> all(String key) {
    return params.getOrDefault(key, List.of());
  }

  /** The first value of {@code key}, or null when it is absent. */
  byte[] first(String key) {
    List<byte[]> values = params.get(key);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** The first value of {@code key} as Latin-1 text, or {@code fallback} when it is absent. */
  String text(String key, String fallback) {
    byte[] value = first(key);
    return value == null ? fallback : new String(value, ISO);
  }

  /**
   * The first value of {@code key} as a decimal integer, or {@code fallback} when it is absent.
   *
   * @throws NumberFormatException if it is not an integer
   */
  long number(String key, long fallback) {
    byte[] value = first(key);
    return value == null ? fallback : Long.parseLong(new String(value, ISO).trim());
  }
}
