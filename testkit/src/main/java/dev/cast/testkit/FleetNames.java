package dev.cast.testkit;

import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names of one fleet's namespaces and links. Each carries the pid of the JVM that made it and a
 * per-JVM serial, so fleets of concurrent JVMs never clash and the leftovers of a JVM that died can
 * be told apart from the links of a JVM that still runs.
 *
 * <ul>
 *   <li>namespaces: {@code castfleet-<pid>-<serial>-sw} (the switch) and {@code
 *       castfleet-<pid>-<serial>-h<index>} (one per host);
 *   <li>the one link in the root namespace: {@code castf<pid base 36>-<serial base 36>}, at most 15
 *       characters as Linux requires;
 *   <li>inside the switch namespace: {@code br0}, {@code uplink}, and {@code h<index>} per host;
 *       inside a host's namespace: {@code eth0}. Those live in namespaces of their own and need no
 *       unique names.
 * </ul>
 */
record FleetNames(long pid, int serial) {
  static final String NAMESPACE_PREFIX = "castfleet-";
  static final String LINK_PREFIX = "castf";
  private static final Pattern NAMESPACE = Pattern.compile("castfleet-(\\d+)-(\\d+)-[a-z0-9]+");
  private static final Pattern LINK = Pattern.compile("castf([0-9a-z]+)-([0-9a-z]+)");
  private static final int MAX_LINK_NAME = 15;

  FleetNames {
    if (rootLink(pid, serial).length() > MAX_LINK_NAME) {
      throw new IllegalArgumentException("pid " + pid + " and serial " + serial + " do not fit");
    }
  }

  /** A short id for messages and directory names, e.g. {@code 2hyo0-1}. */
  String id() {
    return Long.toString(pid, 36) + "-" + Integer.toString(serial, 36);
  }

  String switchNamespace() {
    return NAMESPACE_PREFIX + pid + "-" + serial + "-sw";
  }

  String hostNamespace(int index) {
    return NAMESPACE_PREFIX + pid + "-" + serial + "-h" + index;
  }

  /** The root namespace's end of the link to the switch; it holds the gateway address. */
  String rootLink() {
    return rootLink(pid, serial);
  }

  private static String rootLink(long pid, int serial) {
    return LINK_PREFIX + Long.toString(pid, 36) + "-" + Integer.toString(serial, 36);
  }

  /** The pid that made a fleet namespace, or empty when the name is not one of a fleet's. */
  static OptionalLong namespaceOwner(String namespace) {
    Matcher m = NAMESPACE.matcher(namespace);
    return m.matches() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
  }

  /** The pid that made a fleet's root link, or empty when the name is not one of a fleet's. */
  static OptionalLong linkOwner(String link) {
    Matcher m = LINK.matcher(link);
    if (!m.matches()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(m.group(1), 36));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }
}
