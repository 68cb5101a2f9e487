package dev.cast.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Picks the /24 a fleet's hosts live in: one of {@code 10.213.0.0/16} that overlaps no address and
 * no route the machine already has (other fleets' gateways included), so a fleet never shadows a
 * network the machine uses.
 */
final class Subnets {
  static final String BASE = "10.213";
  private static final Pattern IPV4 =
      Pattern.compile("(\\d{1,3}(?:\\.\\d{1,3}){3})(?:/(\\d{1,2}))?");
  private static final Pattern INET = Pattern.compile("\\binet (\\S+)");
  private static final Set<String> ROUTE_TYPES =
      Set.of(
          "unicast",
          "local",
          "broadcast",
          "multicast",
          "blackhole",
          "unreachable",
          "prohibit",
          "throw",
          "nat",
          "anycast");

  private Subnets() {}

  /** An IPv4 prefix: the address as an unsigned 32-bit value and its length. */
  record Prefix(long address, int length) {
    boolean overlaps(Prefix other) {
      int common = Math.min(length, other.length);
      long mask = common == 0 ? 0 : (0xFFFFFFFFL << (32 - common)) & 0xFFFFFFFFL;
      return (address & mask) == (other.address & mask);
    }

    static Prefix parse(String text) {
      Matcher m = IPV4.matcher(text);
      if (!m.matches()) {
        throw new IllegalArgumentException("not an IPv4 prefix: " + text);
      }
      long value = 0;
      for (String octet : m.group(1).split("\\.")) {
        value = (value << 8) | Integer.parseInt(octet);
      }
      return new Prefix(value, m.group(2) == null ? 32 : Integer.parseInt(m.group(2)));
    }
  }

  /**
   * The first three octets of a free /24, e.g. {@code 10.213.17}, trying {@code 10.213.start} on
   * and wrapping around.
   *
   * @param addresses the output of {@code ip -o -4 addr show}
   * @param routes the output of {@code ip -4 route show table all}
   * @throws IllegalStateException when all 256 are taken
   */
  static String choose(String addresses, String routes, int start) {
    List<Prefix> taken = new ArrayList<>(inUse(addresses, routes));
    for (int i = 0; i < 256; i++) {
      String candidate = BASE + "." + Math.floorMod(start + i, 256);
      Prefix net = Prefix.parse(candidate + ".0/24");
      if (taken.stream().noneMatch(net::overlaps)) {
        return candidate;
      }
    }
    throw new IllegalStateException("every /24 of " + BASE + ".0.0/16 is in use");
  }

  /** Every prefix named by an address or a route (default routes aside, they overlap all). */
  static List<Prefix> inUse(String addresses, String routes) {
    List<Prefix> used = new ArrayList<>();
    for (String line : addresses.split("\n")) {
      Matcher m = INET.matcher(line);
      if (m.find() && IPV4.matcher(m.group(1)).matches()) {
        used.add(Prefix.parse(m.group(1)));
      }
    }
    for (String line : routes.split("\n")) {
      String[] words = line.trim().split("\\s+");
      int first = words.length > 1 && ROUTE_TYPES.contains(words[0]) ? 1 : 0;
      if (words.length > first && IPV4.matcher(words[first]).matches()) {
        used.add(Prefix.parse(words[first]));
      }
    }
    return used;
  }
}
