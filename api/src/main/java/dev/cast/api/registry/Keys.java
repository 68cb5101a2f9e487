package dev.cast.api.registry;

import dev.cast.api.auth.Caller;
import dev.cast.api.errors.ApiException;
import jakarta.ws.rs.core.SecurityContext;

/** What a registry key may be, and who may read or write it. */
public final class Keys {
  public static final int MAX_LENGTH = 1024;

  private Keys() {}

  /**
   * Refuses a key with control characters, a {@code ..} segment or more than 1,024 characters;
   * {@code required}: an empty key too (what a write names).
   */
  public static String check(String key, boolean required) {
    if (key == null || key.isEmpty()) {
      if (required) {
        throw ApiException.badRequest("INVALID_KEY", "Missing key name");
      }
      return "";
    }
    if (key.length() > MAX_LENGTH) {
      throw ApiException.badRequest(
          "INVALID_KEY",
          "Invalid key: " + key.length() + " characters, at most " + MAX_LENGTH + " allowed");
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw ApiException.badRequest(
            "INVALID_KEY",
            "Invalid key \""
                + printable(key)
                + "\": control character U+"
                + String.format("%04X", (int) c)
                + " at "
                + i);
      }
    }
    for (String segment : key.split("/", -1)) {
      if (segment.equals("..") || segment.equals(".")) {
        throw ApiException.badRequest(
            "INVALID_KEY",
            "Invalid key \"" + key + "\": a \"" + segment + "\" segment is not allowed in a key");
      }
    }
    return key;
  }

  /** The caller of a request, or null when auth is off (then everything is allowed). */
  public static Caller caller(SecurityContext security) {
    return security != null && security.getUserPrincipal() instanceof Caller caller ? caller : null;
  }

  public static void mayRead(Caller caller, String key) {
    if (caller != null && !caller.mayRead(key)) {
      throw forbidden(caller, "read", key);
    }
  }

  public static void mayWrite(Caller caller, String key) {
    if (caller != null && !caller.mayWrite(key)) {
      throw forbidden(caller, "write", key);
    }
  }

  public static boolean readable(Caller caller, String key) {
    return caller == null || caller.mayRead(key);
  }

  private static ApiException forbidden(Caller caller, String what, String key) {
    String reach =
        caller.kv() == null
            ? "is a "
                + caller.role().label()
                + " ("
                + what
                + " needs "
                + (what.equals("read") ? "viewer" : "deployer")
                + ")"
            : "is limited to "
                + caller.kv().stream()
                    .map(g -> g.access() + " on \"" + g.prefix() + "\"")
                    .collect(java.util.stream.Collectors.joining(", "));
    return new ApiException(
        403,
        "FORBIDDEN",
        "Forbidden",
        "Permission denied: token \""
            + caller.name()
            + "\" may not "
            + what
            + " key \""
            + key
            + "\"; it "
            + reach,
        null);
  }

  private static String printable(String key) {
    StringBuilder out = new StringBuilder();
    for (char c : key.toCharArray()) {
      out.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return out.toString();
  }
}
