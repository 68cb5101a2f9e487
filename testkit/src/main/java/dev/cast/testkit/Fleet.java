package dev.cast.testkit;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Several Cast hosts on one machine, for tests and benchmarks that need more than the server's
 * embedded agent (one file of about 750 lines: {@link Host} and {@link Machine} are inner classes
 * because they share the fleet's network, settings and lock; the network itself is {@link
 * FleetNetwork}): each host is a {@code cast agent} process of its own, with its own name and data
 * dir, joined to a running api and Temporal.
 *
 * <p><b>Isolated</b> (Linux, root, network namespaces available): each host gets a network
 * namespace and an address of its own ({@code .11}, {@code .12}, … of a free /24 in {@code
 * 10.213.0.0/16}), so its services are reached at its address, hosts reach each other and this JVM
 * reaches every host, much like separate machines. The hosts' links meet on a bridge in a namespace
 * of its own, linked to the root namespace, which holds the {@code .1} address the hosts reach the
 * api and Temporal at; nothing else on the machine changes (no sysctl, no firewall rule). Agents
 * run as {@code ip netns exec <ns> java …}, so {@link Host#process()} is the agent's JVM itself.
 * Links can be capped with {@link #limit}.
 *
 * <p><b>Fallback</b> (not root, no namespaces, or {@code -Dcast.fleet.isolation=off}): every agent
 * runs on 127.0.0.1, each with its own port range. {@link #isolated()} says which mode is on and
 * {@link #whyNotIsolated()} why not, so a test that needs isolation can skip itself:
 *
 * <pre>{@code
 * Assumptions.assumeTrue(fleet.isolated(), fleet.whyNotIsolated());
 * }</pre>
 *
 * <p>{@code -Dcast.fleet.isolation=required} makes {@link Builder#build} fail instead of falling
 * back.
 *
 * <p>Names carry the JVM's pid and a serial, so fleets in concurrent JVMs never clash, and building
 * a fleet removes the namespaces and links of fleets whose JVM died. {@link #close()} (also run by
 * a shutdown hook) stops the agents, kills the services they started (detached, in process groups
 * of their own, so they outlive their agents) and removes the network.
 */
public final class Fleet implements AutoCloseable {
  /**
   * The system property that sets the mode: {@code auto} (default), {@code off}, {@code required}.
   */
  public static final String ISOLATION_PROPERTY = "cast.fleet.isolation";

  private static final AtomicInteger SERIALS = new AtomicInteger();
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);
  private static final int LOG_TAIL = 8_000;

  private final Settings settings;
  private final FleetNames names;
  private final FleetNetwork network;
  private final String whyNotIsolated;
  private final Map<String, Host> hosts = new LinkedHashMap<>();
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private final Thread shutdownHook;
  private int lastIndex;
  private boolean closed;

  private Fleet(Settings settings, FleetNames names, FleetNetwork network, String whyNotIsolated) {
    this.settings = settings;
    this.names = names;
    this.network = network;
    this.whyNotIsolated = whyNotIsolated;
    this.shutdownHook = new Thread(this::close, "cast-fleet-" + names.id() + "-close");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts a host: creates its namespace (when isolated) and data dir {@code <baseDir>/<name>}, and
   * launches its agent. Does not wait for it to register; see {@link #awaitRegistered}.
   *
   * @param name the host's name in Cast, unique in this fleet ({@code [A-Za-z0-9._-]+})
   * @param labels the host's labels (keys and values without {@code ,} or {@code =})
   */
  public synchronized Host add(String name, Map<String, String> labels) throws IOException {
    if (closed) {
      throw new IllegalStateException("fleet " + names.id() + " is closed");
    }
    if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException("a host name is [A-Za-z0-9._-]+, not " + name);
    }
    if (hosts.containsKey(name)) {
      throw new IllegalArgumentException("host " + name + " is already in this fleet");
    }
    labels.forEach(
        (k, v) -> {
          if ((k + v).contains(",") || (k + v).contains("=")) {
            throw new IllegalArgumentException("label " + k + "=" + v + " holds , or =");
          }
        });
    int index = ++lastIndex;
    String address = network != null ? network.addHost(index) : "127.0.0.1";
    Path dataDir = settings.baseDir().resolve(name);
    Files.createDirectories(dataDir);
    Host host = new Host(name, index, address, dataDir, Map.copyOf(labels));
    host.writeSettings();
    host.start();
    hosts.put(name, host);
    return host;
  }

  /** {@link #add(String, Map)} without labels. */
  public Host add(String name) throws IOException {
    return add(name, Map.of());
  }

  /**
   * Adds a machine without an agent: a network namespace of its own on the fleet's network, at the
   * next host address, for software that is not Cast (another BitTorrent client, a load generator)
   * and must reach the api and the hosts, or be reached by them, as a machine of the network would.
   * {@link #close()} kills whatever still runs in it. Needs isolation.
   */
  public synchronized Machine addMachine() throws IOException {
    if (closed) {
      throw new IllegalStateException("fleet " + names.id() + " is closed");
    }
    requireIsolated("a machine without an agent");
    int index = ++lastIndex;
    return new Machine(index, network.addHost(index));
  }

  /** The host named {@code name}; fails when this fleet has none. */
  public synchronized Host host(String name) {
    Host host = hosts.get(name);
    if (host == null) {
      throw new IllegalArgumentException("no host " + name + " in this fleet");
    }
    return host;
  }

  /** The hosts in the order they were added. */
  public synchronized List<Host> hosts() {
    return List.copyOf(hosts.values());
  }

  /** Whether hosts run in network namespaces of their own. */
  public boolean isolated() {
    return network != null;
  }

  /** Why hosts are not isolated, or null when they are. */
  public String whyNotIsolated() {
    return whyNotIsolated;
  }

  /** This fleet's id (pid and serial, base 36), as its namespaces and links carry it. */
  public String id() {
    return names.id();
  }

  /** The directory holding every host's data dir. */
  public Path baseDir() {
    return settings.baseDir();
  }

  /** The hosts' subnet, e.g. {@code 10.213.17.0/24}, or empty when not isolated. */
  public Optional<String> subnet() {
    return Optional.ofNullable(network).map(FleetNetwork::subnet);
  }

  /** The api's base URL as this JVM reaches it. */
  public String apiUrl() {
    return "http://127.0.0.1:" + settings.apiPort();
  }

  /** The api's base URL as the hosts reach it (their {@code --api}). */
  public String apiUrlForHosts() {
    return "http://"
        + (network != null ? network.gateway() : "127.0.0.1")
        + ":"
        + settings.apiPort();
  }

  /** Temporal's frontend as the hosts reach it (their {@code --temporal}). */
  public String temporalForHosts() {
    String target = settings.temporal();
    int colon = target.lastIndexOf(':');
    String host = target.substring(0, colon);
    boolean local =
        host.equals("localhost")
            || host.startsWith("127.")
            || host.equals("0.0.0.0")
            || host.equals("[::1]");
    return network != null && local ? network.gateway() + target.substring(colon) : target;
  }

  /** {@link #awaitRegistered(Host, Duration)} within a minute. */
  public String awaitRegistered(Host host) throws InterruptedException {
    return awaitRegistered(host, Duration.ofMinutes(1));
  }

  /**
   * Polls {@code GET /v1/hosts/<name>} until it answers 200.
   *
   * @return the host as the api shows it (JSON)
   * @throws IllegalStateException with the agent's log when the agent exits first or time runs out
   */
  private HttpRequest.Builder reading(HttpRequest.Builder request) {
    return settings.readToken() == null
        ? request
        : request.header("Authorization", "Bearer " + settings.readToken());
  }

  public String awaitRegistered(Host host, Duration timeout) throws InterruptedException {
    URI uri =
        URI.create(
            apiUrl() + "/v1/hosts/" + URLEncoder.encode(host.name(), StandardCharsets.UTF_8));
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        HttpResponse<String> response =
            http.send(
                reading(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return response.body();
        }
      } catch (IOException notYet) {
        // The api may not listen yet; the deadline below bounds the wait.
      }
      Process agent = host.process();
      if (!agent.isAlive()) {
        throw new IllegalStateException(
            "agent "
                + host.name()
                + " exited with "
                + agent.exitValue()
                + " before it registered; "
                + host.logTail());
      }
      if (System.nanoTime() > end) {
        throw new IllegalStateException(
            "agent " + host.name() + " did not register within " + timeout + "; " + host.logTail());
      }
      Thread.sleep(100);
    }
  }

  /**
   * Caps a host's link at {@code rate} in each direction (a {@code tc} HTB class on both ends of
   * its veth), e.g. {@code "100mbit"}, {@code "20mbit"}, {@code "1gbit"}: the rate units of {@code
   * tc}. Calling it again changes the cap. Needs isolation.
   */
  public void limit(Host host, String rate) throws IOException {
    requireIsolated("capping a link");
    network.limit(host.index, rate);
  }

  /**
   * Cuts a host off the network, as a pulled cable: its agent and services keep running but reach
   * nothing and nothing reaches them. Needs isolation.
   */
  public void cut(Host host) throws IOException {
    requireIsolated("cutting a link");
    network.setLink(host.index, false);
  }

  /** Plugs a host {@link #cut} off back in. */
  public void reconnect(Host host) throws IOException {
    requireIsolated("cutting a link");
    network.setLink(host.index, true);
  }

  /** Lifts the cap {@link #limit} set. */
  public void unlimit(Host host) {
    requireIsolated("capping a link");
    network.unlimit(host.index);
  }

  /**
   * Caps the api's link to the hosts at {@code rate} in each direction, as {@link #limit} caps a
   * host's. Needs isolation.
   */
  public void limitApi(String rate) throws IOException {
    requireIsolated("capping a link");
    network.limitApi(rate);
  }

  /**
   * Payload and header bytes each link has carried so far, seen from its own end: {@code [received,
   * sent]} by host name, and by {@code "api"} for the api's link. Needs isolation.
   */
  public Map<String, long[]> linkBytes() throws IOException {
    requireIsolated("reading link counters");
    Map<String, long[]> ports = network.portBytes();
    Map<String, long[]> links = new LinkedHashMap<>();
    for (Host host : hosts()) {
      long[] port = ports.get(FleetNetwork.port(host.index));
      if (port != null) {
        links.put(host.name(), port);
      }
    }
    // The switch's port sends towards its end what that end receives.
    long[] uplink = ports.get(FleetNetwork.uplink());
    if (uplink != null) {
      links.put("api", uplink);
    }
    return links;
  }

  private void requireIsolated(String what) {
    if (network == null) {
      throw new IllegalStateException(what + " needs an isolated fleet: " + whyNotIsolated);
    }
  }

  /**
   * Stops every agent (SIGTERM, then SIGKILL after 10 s), kills the services they started (every
   * process group whose command line names the base dir) and removes the namespaces and links.
   * Idempotent; a shutdown hook runs it when the JVM exits without it.
   */
  @Override
  public void close() {
    List<Host> all;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      all = List.copyOf(hosts.values());
    }
    all.forEach(h -> h.process().destroy());
    all.forEach(Host::awaitStopped);
    ServiceReaper.killUnder(settings.baseDir());
    if (network != null) {
      network.close();
    }
    if (Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException shuttingDown) {
        // The hook runs anyway and finds the fleet closed.
      }
    }
  }

  /**
   * One host of the fleet: its agent process, data dir and address. Its agent writes its output to
   * {@code <dataDir>/agent.log}, appended across restarts.
   */
  public final class Host {
    private final String name;
    private final int index;
    private final String address;
    private final Path dataDir;
    private final Map<String, String> labels;
    private Process process;

    private Host(String name, int index, String address, Path dataDir, Map<String, String> labels) {
      this.name = name;
      this.index = index;
      this.address = address;
      this.dataDir = dataDir;
      this.labels = labels;
    }

    public String name() {
      return name;
    }

    /** The address the host registers with and its services listen at. */
    public String address() {
      return address;
    }

    public Path dataDir() {
      return dataDir;
    }

    public Map<String, String> labels() {
      return labels;
    }

    /** The host's network namespace, or empty when the fleet is not isolated. */
    public Optional<String> namespace() {
      return Optional.ofNullable(network).map(n -> n.namespace(index));
    }

    /** The agent's current process (the JVM itself; a new one after {@link #restart}). */
    public synchronized Process process() {
      return process;
    }

    public synchronized boolean isAlive() {
      return process.isAlive();
    }

    /** The agent's output file. */
    public Path logFile() {
      return dataDir.resolve("agent.log");
    }

    /** Everything the agent wrote, across restarts. */
    public String log() throws IOException {
      return Files.exists(logFile()) ? Files.readString(logFile()) : "";
    }

    /**
     * SIGKILL to the agent, as a crash would; returns once it is gone. Its services keep running
     * (they are detached, in process groups of their own), as they do on a real host.
     */
    public synchronized void kill9() {
      process.destroyForcibly();
      waitFor(process, Duration.ofSeconds(30));
    }

    /** Stops the agent (SIGTERM, SIGKILL after 10 s); its services keep running. */
    public synchronized void stop() {
      process.destroy();
      awaitStopped();
    }

    /**
     * Starts the agent again with the same name, data dir, address and labels (stopping it first if
     * it still runs), as after a reboot or an upgrade of the agent.
     */
    public synchronized void restart() throws IOException {
      if (process.isAlive()) {
        stop();
      }
      start();
    }

    /**
     * A process builder for a command run on this host: inside its namespace when the fleet is
     * isolated, as is otherwise. E.g. {@code host.command("curl", "-s", url).start()}.
     */
    public ProcessBuilder command(String... command) {
      List<String> line = List.of(command);
      return new ProcessBuilder(network != null ? network.inHost(index, line) : line);
    }

    @Override
    public String toString() {
      return name + "@" + address;
    }

    private synchronized void start() throws IOException {
      List<String> line = agentCommand();
      String shown = String.join(" ", line).replace(settings.classpath(), "<classpath>");
      String header =
          String.format(
              Locale.ROOT,
              "%n=== %s cast fleet %s: starting agent %s: %s%n",
              Instant.now(),
              names.id(),
              name,
              shown);
      Files.writeString(logFile(), header, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      process =
          command(line.toArray(String[]::new))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
    }

    private List<String> agentCommand() {
      List<String> line = new ArrayList<>();
      line.add(settings.java());
      line.addAll(settings.jvmArgs());
      line.addAll(List.of("-cp", settings.classpath(), settings.mainClass(), "agent"));
      if (Files.exists(settingsFile())) {
        line.add(settingsFile().toString());
      }
      line.addAll(
          List.of(
              "--name", name,
              "--data-dir", dataDir.toString(),
              "--api", apiUrlForHosts(),
              "--temporal", temporalForHosts(),
              "--address", address));
      if (settings.token() != null) {
        line.addAll(List.of("--token", settings.token()));
      }
      if (!labels.isEmpty()) {
        line.add("--labels");
        line.add(
            labels.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(",")));
      }
      return line;
    }

    private Path settingsFile() {
      return dataDir.resolve("agent.yml");
    }

    /**
     * Writes {@code agent.yml}: the builder's settings and, without isolation, a port range of the
     * host's own, since all hosts then share 127.0.0.1 and two agents allocating at once would
     * otherwise both take the lowest free port.
     */
    private void writeSettings() throws IOException {
      StringBuilder yaml = new StringBuilder(settings.agentSettings());
      if (network == null && !settings.agentSettings().contains("ports:")) {
        int from = 20_000 + 100 * ((index - 1) % 90);
        yaml.append(String.format(Locale.ROOT, "%nports: {from: %d, to: %d}%n", from, from + 99));
      }
      if (!yaml.toString().isBlank()) {
        Files.writeString(settingsFile(), yaml.toString());
      }
    }

    private void awaitStopped() {
      Process agent = process();
      if (!waitFor(agent, STOP_GRACE)) {
        agent.destroyForcibly();
        waitFor(agent, Duration.ofSeconds(10));
      }
    }

    private String logTail() {
      try {
        String log = log();
        return "its log ("
            + logFile()
            + "):\n"
            + (log.length() > LOG_TAIL ? "…" + log.substring(log.length() - LOG_TAIL) : log);
      } catch (IOException e) {
        return "its log is unreadable: " + e.getMessage();
      }
    }
  }

  /** A machine of the fleet's network that runs no agent; see {@link #addMachine}. */
  public final class Machine {
    private final int index;
    private final String address;

    private Machine(int index, String address) {
      this.index = index;
      this.address = address;
    }

    /** Its address on the fleet's network. */
    public String address() {
      return address;
    }

    /** Its network namespace. */
    public String namespace() {
      return network.namespace(index);
    }

    /** A process builder for {@code command} run inside its namespace. */
    public ProcessBuilder command(String... command) {
      return new ProcessBuilder(network.inHost(index, List.of(command)));
    }

    @Override
    public String toString() {
      return "machine@" + address;
    }
  }

  private static boolean waitFor(Process process, Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }

  private record Settings(
      String classpath,
      int apiPort,
      String temporal,
      String token,
      Path baseDir,
      String mainClass,
      String java,
      List<String> jvmArgs,
      String agentSettings,
      String readToken) {}

  /** Settings of a fleet; {@link #build} checks them and sets the network up. */
  public static final class Builder {
    private String classpath;
    private int apiPort;
    private String temporal;
    private String token;
    private String readToken;
    private Path baseDir;
    private String mainClass = "dev.cast.cli.Main";
    private String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private List<String> jvmArgs = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    private String agentSettings = "";

    private Builder() {}

    /** The classpath agents run with (the Cast command's; in a test, {@code java.class.path}). */
    public Builder classpath(String classpath) {
      this.classpath = classpath;
      return this;
    }

    /** The api's HTTP port on this machine; it must listen on all interfaces. */
    public Builder apiPort(int apiPort) {
      this.apiPort = apiPort;
      return this;
    }

    /**
     * Temporal's frontend, {@code host:port}, as this machine reaches it (e.g. the server's {@code
     * runtime().temporal().target()}). A loopback address is replaced by the gateway for isolated
     * hosts, so the frontend must listen on all interfaces.
     */
    public Builder temporal(String target) {
      this.temporal = target;
      return this;
    }

    /** {@link #temporal} at {@code 127.0.0.1:port}. */
    public Builder temporalPort(int port) {
      return temporal("127.0.0.1:" + port);
    }

    /** The agent token the api expects (its {@code runtime().agentToken()}). */
    public Builder token(String token) {
      this.token = token;
      return this;
    }

    /** A token the fleet reads the api with (a viewer's is enough): to see hosts register. */
    public Builder readToken(String readToken) {
      this.readToken = readToken;
      return this;
    }

    /**
     * The directory for the hosts' data dirs. It should be the fleet's own: {@link #close()} kills
     * every process whose command line names it. Default: a new temp dir.
     */
    public Builder baseDir(Path baseDir) {
      this.baseDir = baseDir;
      return this;
    }

    /** The class agents run, {@code dev.cast.cli.Main} unless told otherwise. */
    public Builder mainClass(String mainClass) {
      this.mainClass = mainClass;
      return this;
    }

    /**
     * The agents' JVM options. Default: the serial collector and C1 only, which start a JVM fastest
     * and keep several agents light on a small machine; a benchmark that measures the agents' own
     * work should pass its own.
     */
    public Builder jvmArgs(String... jvmArgs) {
      this.jvmArgs = List.of(jvmArgs);
      return this;
    }

    /**
     * YAML for every agent's {@code agent.yml}, e.g. {@code "heartbeatSeconds: 2\n"}; command-line
     * flags (name, data dir, api, Temporal, address, token, labels) override it.
     */
    public Builder agentSettings(String yaml) {
      this.agentSettings = Objects.requireNonNull(yaml);
      return this;
    }

    /** Checks the settings, reaps dead fleets' leftovers and builds the network when it can. */
    public Fleet build() throws IOException {
      Objects.requireNonNull(classpath, "classpath");
      Objects.requireNonNull(temporal, "temporal");
      if (apiPort <= 0 || apiPort > 65535) {
        throw new IllegalArgumentException("apiPort " + apiPort);
      }
      if (temporal.lastIndexOf(':') < 1) {
        throw new IllegalArgumentException("temporal is host:port, not " + temporal);
      }
      Path baseDir =
          (this.baseDir != null ? this.baseDir : TempDirs.create("cast-fleet-"))
              .toAbsolutePath()
              .normalize();
      if (baseDir.getNameCount() < 2) {
        throw new IllegalArgumentException(
            "baseDir " + baseDir + " is too broad: close() kills what names it");
      }
      Files.createDirectories(baseDir);
      FleetNames names =
          new FleetNames(ProcessHandle.current().pid(), SERIALS.incrementAndGet() % 1296);
      String mode = System.getProperty(ISOLATION_PROPERTY, "auto").toLowerCase(Locale.ROOT);
      String why = Isolation.obstacle(mode);
      FleetNetwork network = null;
      if (why == null) {
        try {
          network = FleetNetwork.open(names);
        } catch (IOException | RuntimeException e) {
          why = "network namespaces are unavailable: " + e.getMessage();
        }
      }
      if (network == null && mode.equals("required")) {
        throw new IllegalStateException(
            "-D" + ISOLATION_PROPERTY + "=required, but hosts cannot be isolated: " + why);
      }
      System.err.println(
          network != null
              ? "cast fleet "
                  + names.id()
                  + ": hosts isolated in network namespaces on "
                  + network.subnet()
                  + ", gateway "
                  + network.gateway()
              : "cast fleet "
                  + names.id()
                  + ": network isolation is off ("
                  + why
                  + ");"
                  + " hosts run on 127.0.0.1");
      return new Fleet(
          new Settings(
              classpath,
              apiPort,
              temporal,
              token,
              baseDir,
              mainClass,
              java,
              jvmArgs,
              agentSettings,
              readToken),
          names,
          network,
          why);
    }
  }
}
