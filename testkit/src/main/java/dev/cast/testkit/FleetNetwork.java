package dev.cast.testkit;

import static dev.cast.testkit.Commands.check;
import static dev.cast.testkit.Commands.ip;
import static dev.cast.testkit.Commands.tc;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The network of an isolated fleet: one network namespace per host, all plugged into a bridge, and
 * one link from the bridge to the root namespace, where the api and Temporal listen.
 *
 * <pre>
 *  root namespace                switch namespace (castfleet-…-sw)        host namespaces
 *  castf&lt;id&gt; 10.213.N.1/24 ──veth── uplink ┐                        ┌─ h1 ──veth── eth0 10.213.N.11
 *                                         br0 (bridge) ────────────┼─ h2 ──veth── eth0 10.213.N.12
 *                                                                  └─ …
 * </pre>
 *
 * <p>The bridge lives in a namespace of its own rather than in the root namespace so that traffic
 * between hosts never passes the root namespace's firewall: with {@code br_netfilter} loaded
 * ({@code net.bridge.bridge-nf-call-iptables = 1}, as Docker wants it) bridged packets go through
 * iptables' FORWARD chain, whose policy Docker sets to DROP. That sysctl is per namespace; the
 * switch namespace turns it off for itself and has no firewall, so host-to-host traffic always
 * flows, and nothing global on the machine changes. The root namespace only gains one link with an
 * address; traffic between it and the hosts is local delivery there (INPUT/OUTPUT), not forwarding,
 * so {@code ip_forward} stays as it is.
 *
 * <p>Everything is undone by deleting the namespaces and the root link; {@link #reapLeftovers} does
 * it for fleets whose JVM died without closing them.
 */
final class FleetNetwork implements AutoCloseable {
  private static final String BRIDGE = "br0";
  private static final String UPLINK = "uplink";
  private static final String HOST_LINK = "eth0";
  private static final int FIRST_HOST_OCTET = 10;

  private final FleetNames names;
  private final String prefix;
  private final List<Integer> hosts = new ArrayList<>();
  private boolean switchCreated;

  private FleetNetwork(FleetNames names, String prefix) {
    this.names = names;
    this.prefix = prefix;
  }

  /**
   * Reaps dead fleets' leftovers, picks a free /24 and builds the switch and the root link. Holds a
   * machine-wide lock while it picks, so two JVMs starting fleets at once take different subnets.
   */
  static FleetNetwork open(FleetNames names) throws IOException {
    try (FileChannel channel =
            FileChannel.open(lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.lock()) {
      reapLeftovers();
      String prefix =
          Subnets.choose(
              check(ip("-o", "-4", "addr", "show")),
              check(ip("-4", "route", "show", "table", "all")),
              (int) (names.pid() % 256));
      FleetNetwork network = new FleetNetwork(names, prefix);
      try {
        network.createSwitch();
      } catch (IOException | RuntimeException e) {
        network.close();
        throw e;
      }
      return network;
    }
  }

  private void createSwitch() throws IOException {
    String sw = names.switchNamespace();
    check(ip("netns", "add", sw));
    switchCreated = true;
    check(ip("-n", sw, "link", "set", "dev", "lo", "up"));
    check(ip("-n", sw, "link", "add", "name", BRIDGE, "type", "bridge"));
    check(ip("-n", sw, "link", "set", "dev", BRIDGE, "up"));
    // Per-namespace: bridged frames between hosts skip netfilter here (see the class comment).
    check(
        ip(
            "netns",
            "exec",
            sw,
            "sh",
            "-c",
            "for f in /proc/sys/net/bridge/bridge-nf-call-ip*tables; do"
                + " [ -w \"$f\" ] && echo 0 > \"$f\"; done; true"));
    String root = names.rootLink();
    check(ip("link", "add", "name", root, "type", "veth", "peer", "name", UPLINK, "netns", sw));
    check(ip("-n", sw, "link", "set", "dev", UPLINK, "master", BRIDGE, "up"));
    check(ip("addr", "add", gateway() + "/24", "dev", root));
    check(ip("link", "set", "dev", root, "up"));
  }

  /** The root namespace's address on the fleet's subnet: where hosts reach the api and Temporal. */
  String gateway() {
    return prefix + ".1";
  }

  /** The subnet, e.g. {@code 10.213.17.0/24}. */
  String subnet() {
    return prefix + ".0/24";
  }

  /** Creates host {@code index}'s namespace, plugged into the bridge; returns its address. */
  synchronized String addHost(int index) throws IOException {
    if (index < 1 || index > 240) {
      throw new IllegalArgumentException("a fleet holds hosts 1 to 240, not " + index);
    }
    String ns = names.hostNamespace(index);
    String sw = names.switchNamespace();
    String port = port(index);
    check(ip("netns", "add", ns));
    hosts.add(index);
    check(ip("-n", ns, "link", "set", "dev", "lo", "up"));
    check(
        ip(
            "-n", sw, "link", "add", "name", port, "type", "veth", "peer", "name", HOST_LINK,
            "netns", ns));
    check(ip("-n", sw, "link", "set", "dev", port, "master", BRIDGE, "up"));
    check(ip("-n", ns, "addr", "add", address(index) + "/24", "dev", HOST_LINK));
    check(ip("-n", ns, "link", "set", "dev", HOST_LINK, "up"));
    return address(index);
  }

  String address(int index) {
    return prefix + "." + (FIRST_HOST_OCTET + index);
  }

  String namespace(int index) {
    return names.hostNamespace(index);
  }

  /** {@code command} run inside host {@code index}'s namespace. */
  List<String> inHost(int index, List<String> command) {
    List<String> wrapped = new ArrayList<>(List.of(ip("netns", "exec", namespace(index))));
    wrapped.addAll(command);
    return wrapped;
  }

  /**
   * Caps host {@code index}'s link at {@code rate} in each direction: an HTB class on both ends of
   * its veth (its egress in its namespace, its ingress as the switch's egress towards it).
   */
  void limit(int index, String rate) throws IOException {
    limit(ends(index), rate);
  }

  /** Removes what {@link #limit} set; a link without a cap stays as it is. */
  void unlimit(int index) {
    unlimit(ends(index));
  }

  /**
   * Takes host {@code index}'s link down (as a pulled cable: nothing in or out) or back up, at the
   * switch's end of its veth.
   */
  void setLink(int index, boolean up) throws IOException {
    check(ip("-n", names.switchNamespace(), "link", "set", port(index), up ? "up" : "down"));
  }

  /**
   * Caps the api's link (root namespace to switch) at {@code rate} in each direction, like a
   * host's: everything the api and Temporal send to or receive from the hosts shares it.
   */
  void limitApi(String rate) throws IOException {
    limit(apiEnds(), rate);
  }

  private static void limit(List<String[]> ends, String rate) throws IOException {
    for (String[] end : ends) {
      // HTB cannot replace itself; a second call only changes the class's rate.
      if (!check(tcAt(end, "qdisc", "show", "dev", end[1])).contains("htb 1:")) {
        check(
            tcAt(
                end, "qdisc", "replace", "dev", end[1], "root", "handle", "1:", "htb", "default",
                "10"));
      }
      check(
          tcAt(
              end, "class", "replace", "dev", end[1], "parent", "1:", "classid", "1:10", "htb",
              "rate", rate, "ceil", rate, "quantum", "60000"));
    }
  }

  private static void unlimit(List<String[]> ends) {
    for (String[] end : ends) {
      Commands.run(List.of(tcAt(end, "qdisc", "del", "dev", end[1], "root")));
    }
  }

  /**
   * Bytes through each of the switch's ports so far, by port ({@code h1}, {@code h2}, … and {@code
   * uplink}, the api's link): {@code [sent towards that end, received from it]}.
   */
  Map<String, long[]> portBytes() throws IOException {
    String out =
        check(
            ip(
                "netns",
                "exec",
                names.switchNamespace(),
                "sh",
                "-c",
                "cd /sys/class/net && for d in *; do"
                    + " echo \"$d $(cat $d/statistics/tx_bytes) $(cat $d/statistics/rx_bytes)\";"
                    + " done"));
    Map<String, long[]> ports = new TreeMap<>();
    for (String line : out.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length == 3) {
        ports.put(f[0], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
      }
    }
    return ports;
  }

  /** The name of host {@code index}'s port on the switch. */
  static String port(int index) {
    return "h" + index;
  }

  /** The name of the api's link on the switch. */
  static String uplink() {
    return UPLINK;
  }

  /** {@code tc} in the namespace of a link end; a null namespace is this process's own. */
  private static String[] tcAt(String[] end, String... args) {
    if (end[0] == null) {
      return tc(args);
    }
    String[] inNamespace = new String[args.length + 2];
    inNamespace[0] = "-n";
    inNamespace[1] = end[0];
    System.arraycopy(args, 0, inNamespace, 2, args.length);
    return tc(inNamespace);
  }

  /** The api link's ends: its side in the root namespace, where the api runs, and the uplink. */
  private List<String[]> apiEnds() {
    return List.of(
        new String[] {null, names.rootLink()}, new String[] {names.switchNamespace(), UPLINK});
  }

  private List<String[]> ends(int index) {
    return List.of(
        new String[] {namespace(index), HOST_LINK},
        new String[] {names.switchNamespace(), "h" + index});
  }

  /** Kills whatever still runs in the hosts' namespaces, then deletes the link and namespaces. */
  @Override
  public synchronized void close() {
    List<String> namespaces = new ArrayList<>();
    hosts.forEach(i -> namespaces.add(names.hostNamespace(i)));
    if (switchCreated) {
      namespaces.add(names.switchNamespace());
    }
    remove(names.rootLink(), namespaces);
    hosts.clear();
    switchCreated = false;
  }

  /**
   * Removes the namespaces and root links of fleets whose JVM no longer runs, killing what still
   * runs inside them (services of their hosts).
   */
  static void reapLeftovers() {
    List<String> links = new ArrayList<>();
    for (String line : Commands.run(List.of(ip("-o", "link", "show"))).output().split("\n")) {
      String[] parts = line.split(":\\s+", 3);
      if (parts.length >= 2) {
        String link = parts[1].split("@")[0];
        if (dead(FleetNames.linkOwner(link))) {
          links.add(link);
        }
      }
    }
    List<String> namespaces = new ArrayList<>();
    for (String line : Commands.run(List.of(ip("netns", "list"))).output().split("\n")) {
      String ns = line.trim().split("\\s+")[0];
      if (dead(FleetNames.namespaceOwner(ns))) {
        namespaces.add(ns);
      }
    }
    links.forEach(link -> remove(link, List.of()));
    if (!namespaces.isEmpty()) {
      // Host namespaces before switch namespaces: "-h…" sorts before "-sw".
      namespaces.sort(null);
      remove(null, namespaces);
    }
  }

  private static boolean dead(OptionalLong owner) {
    return owner.isPresent()
        && ProcessHandle.of(owner.getAsLong()).map(p -> !p.isAlive()).orElse(true);
  }

  private static void remove(String rootLink, List<String> namespaces) {
    for (String ns : namespaces) {
      String pids = Commands.run(List.of(ip("netns", "pids", ns))).output();
      for (String pid : pids.split("\\s+")) {
        if (pid.matches("\\d+")) {
          ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
    }
    // Deleting the root end removes the pair at once; a namespace's links go when it does,
    // which the kernel finishes in the background.
    if (rootLink != null) {
      Commands.run(List.of(ip("link", "del", "dev", rootLink)));
    }
    for (String ns : namespaces) {
      Commands.run(List.of(ip("netns", "del", ns)));
    }
  }

  private static Path lockFile() {
    Path run = Path.of("/run");
    return Files.isDirectory(run) && Files.isWritable(run)
        ? run.resolve("cast-fleet.lock")
        : Path.of(System.getProperty("java.io.tmpdir"), "cast-fleet.lock");
  }
}
