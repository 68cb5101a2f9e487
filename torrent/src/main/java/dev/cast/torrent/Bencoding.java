package dev.cast.torrent;

import com.dampcake.bencode.Bencode;
import com.dampcake.bencode.BencodeException;
import com.dampcake.bencode.Type;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Bencoding on top of {@code com.dampcake:bencode}, configured so that binary strings survive.
 *
 * <p>Strings are read as {@link ByteBuffer}s and dictionary keys as ISO-8859-1 strings, which map
 * every byte to one char and back; dictionaries are written in key order (the library sorts them),
 * which for ISO-8859-1 keys is the raw byte order bencoding requires.
 */
final class Bencoding {
  private static final Bencode CODEC = new Bencode(StandardCharsets.ISO_8859_1, true);

  private Bencoding() {}

  /** Encodes a dictionary; values may be strings, byte arrays, numbers, lists and maps. */
  static byte[] encode(Map<String, ?> dictionary) {
    return CODEC.encode(dictionary);
  }

  /**
   * Encodes a dictionary whose {@code info} value is already bencoded bytes ({@link #rawValue}),
   * spliced in as they are so its SHA-1 does not change.
   */
  static byte[] encodeWithRawInfo(Map<String, Object> dictionary) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write('d');
    for (String key : new TreeSet<>(dictionary.keySet())) {
      Object value = dictionary.get(key);
      if (key.equals("info")) {
        byte[] name = key.getBytes(StandardCharsets.ISO_8859_1);
        out.writeBytes((name.length + ":").getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(name);
        out.writeBytes((byte[]) value);
      } else {
        // One entry as a dictionary of its own, without the dictionary's d and e.
        byte[] entry = encode(Map.of(key, value));
        out.write(entry, 1, entry.length - 2);
      }
    }
    out.write('e');
    return out.toByteArray();
  }

  /** Decodes a dictionary; string values come back as {@link ByteBuffer}s. */
  static Map<String, Object> decodeDictionary(byte[] bytes) {
    if (bytes.length == 0 || bytes[0] != 'd') {
      throw new IllegalArgumentException("not a bencoded dictionary");
    }
    try {
      return CODEC.decode(bytes, Type.DICTIONARY);
    } catch (BencodeException | IllegalStateException | IndexOutOfBoundsException e) {
      throw new IllegalArgumentException("malformed bencoding: " + e.getMessage(), e);
    }
  }

  /** The bytes of a decoded string value. */
  static byte[] bytes(Object value) {
    if (value instanceof ByteBuffer buffer) {
      ByteBuffer copy = buffer.duplicate();
      byte[] out = new byte[copy.remaining()];
      copy.get(out);
      return out;
    }
    if (value instanceof byte[] array) {
      return array.clone();
    }
    throw new IllegalArgumentException("expected a string, got " + describe(value));
  }

  /** A decoded string value as text (UTF-8, as BitTorrent clients write names and URLs). */
  static String text(Object value) {
    return new String(bytes(value), StandardCharsets.UTF_8);
  }

  static long number(Object value) {
    if (value instanceof Number n) {
      return n.longValue();
    }
    throw new IllegalArgumentException("expected an integer, got " + describe(value));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> dictionary(Object value) {
    if (value instanceof Map<?, ?> map) {
      return (Map<String, Object>) map;
    }
    throw new IllegalArgumentException("expected a dictionary, got " + describe(value));
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object value) {
    if (value instanceof List<?> list) {
      return (List<Object>) list;
    }
    throw new IllegalArgumentException("expected a list, got " + describe(value));
  }

  /**
   * The exact bytes of the value under {@code key} in the top-level dictionary {@code bytes}. The
   * info-hash is the SHA-1 of these bytes as written, so they are cut out rather than re-encoded.
   */
  static byte[] rawValue(byte[] bytes, String key) {
    byte[] wanted = key.getBytes(StandardCharsets.ISO_8859_1);
    if (bytes.length == 0 || bytes[0] != 'd') {
      throw new IllegalArgumentException("not a bencoded dictionary");
    }
    int pos = 1;
    while (pos < bytes.length && bytes[pos] != 'e') {
      int keyEnd = skip(bytes, pos);
      byte[] keyBytes = stringContent(bytes, pos);
      int valueEnd = skip(bytes, keyEnd);
      if (Arrays.equals(keyBytes, wanted)) {
        return Arrays.copyOfRange(bytes, keyEnd, valueEnd);
      }
      pos = valueEnd;
    }
    throw new IllegalArgumentException("no '" + key + "' in the dictionary");
  }

  private static byte[] stringContent(byte[] bytes, int pos) {
    int colon = indexOf(bytes, (byte) ':', pos);
    int length = Integer.parseInt(ascii(bytes, pos, colon));
    return Arrays.copyOfRange(bytes, colon + 1, colon + 1 + length);
  }

  /** The offset just past the bencoded value starting at {@code pos}. */
  private static int skip(byte[] bytes, int pos) {
    if (pos >= bytes.length) {
      throw new IllegalArgumentException("truncated bencoding");
    }
    byte b = bytes[pos];
    if (b == 'i') {
      return indexOf(bytes, (byte) 'e', pos) + 1;
    }
    if (b == 'l' || b == 'd') {
      int p = pos + 1;
      while (p < bytes.length && bytes[p] != 'e') {
        p = skip(bytes, p);
      }
      if (p >= bytes.length) {
        throw new IllegalArgumentException("truncated bencoding");
      }
      return p + 1;
    }
    if (b >= '0' && b <= '9') {
      int colon = indexOf(bytes, (byte) ':', pos);
      long end = colon + 1L + Long.parseLong(ascii(bytes, pos, colon));
      if (end > bytes.length) {
        throw new IllegalArgumentException("truncated bencoding");
      }
      return (int) end;
    }
    throw new IllegalArgumentException("unexpected byte " + (b & 0xff) + " at offset " + pos);
  }

  private static int indexOf(byte[] bytes, byte b, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    throw new IllegalArgumentException("truncated bencoding");
  }

  private static String ascii(byte[] bytes, int from, int to) {
    return new String(bytes, from, to - from, StandardCharsets.US_ASCII);
  }

  private static String describe(Object value) {
    return value == null ? "nothing" : value.getClass().getSimpleName();
  }
}
