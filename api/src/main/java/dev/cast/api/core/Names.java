package dev.cast.api.core;

import dev.cast.api.errors.ApiException;
import java.util.regex.Pattern;

/** Checks names that arrive in URLs and bodies, before anything is looked up. */
public final class Names {
  private static final Pattern APP = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9._+-]{1,64}");
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

  private Names() {}

  public static String app(String name) {
    return check(APP, name, "app name", "lower-case letters, digits and '-', at most 63");
  }

  public static String version(String version) {
    return check(VERSION, version, "version", "letters, digits and . _ + -, at most 64");
  }

  public static String host(String host) {
    return check(HOST, host, "host name", "letters, digits and . _ -, at most 63");
  }

  private static String check(Pattern pattern, String value, String what, String rule) {
    if (value == null || !pattern.matcher(value).matches()) {
      throw ApiException.badRequest(
          "INVALID_REQUEST",
          what
              + " "
              + (value == null ? "is missing" : "\"" + value + "\" is invalid")
              + ": use "
              + rule);
    }
    return value;
  }
}
