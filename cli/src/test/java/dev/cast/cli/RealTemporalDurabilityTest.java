package dev.cast.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cast.testkit.Fleet;
import dev.cast.testkit.TempDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Deploys that survive any crash: Cast against a real Temporal server ({@code temporal server
 * start-dev} with its SQLite db, started by hand as an operator would) and three hosts, each an
 * agent of its own. The api is killed with {@code kill -9} mid-deploy and mid-revert, the Temporal
 * server is killed with {@code kill -9} mid-deploy, and the api is stopped and started again
 * mid-deploy as an upgrade would; each time the deployment finishes where it should, every host on
 * the release it should run, with one process per service. Each test prints its timeline.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealTemporalDurabilityTest {
  private static final Path EXAMPLE = Path.of("../examples/hello");
  private static final List<String> HOSTS = List.of("real-1", "real-2", "real-3");
  private static TemporalDevProcess temporal;
  private static ServerProcess cast;
  private static Fleet fleet;
  private static final Map<String, Fleet.Host> hosts = new LinkedHashMap<>();
  private static Path bundles;
  private final Timeline timeline = new Timeline();

  @BeforeAll
  static void start() throws Exception {
    String why = TemporalDevProcess.whyUnavailable();
    assumeTrue(why == null, why);
    Path dir = TempDirs.create("cast-real-temporal-");
    temporal = new TemporalDevProcess(dir.resolve("temporal"));
    temporal.start();
    cast =
        new ServerProcess(
            "bundles: {maxSize: 1MiB}", "temporal: {target: \"" + temporal.target() + "\"}", false);
    cast.start();
    String previous = System.getProperty(Fleet.ISOLATION_PROPERTY);
    // Agents on loopback reach the server's Temporal on loopback; isolation is not the point here.
    System.setProperty(Fleet.ISOLATION_PROPERTY, "off");
    try {
      fleet =
          Fleet.builder()
              .classpath(System.getProperty("java.class.path"))
              .apiPort(cast.port)
              .temporal(temporal.target())
              .token(Files.readString(cast.dataDir.resolve("agent-token")).trim())
              .readToken(Files.readString(cast.dataDir.resolve("admin-token")).trim())
              .baseDir(dir.resolve("fleet"))
              .agentSettings("heartbeatSeconds: 1\n")
              .build();
    } finally {
      if (previous == null) {
        System.clearProperty(Fleet.ISOLATION_PROPERTY);
      } else {
        System.setProperty(Fleet.ISOLATION_PROPERTY, previous);
      }
    }
    for (String name : HOSTS) {
      hosts.put(name, fleet.add(name, Map.of("role", "real")));
    }
    for (Fleet.Host host : hosts.values()) {
      fleet.awaitRegistered(host);
    }
    bundles = dir.resolve("bundles");
    Files.createDirectories(bundles);
    // Every release but 1.0.0 takes about 4 s to answer its health check: time to kill things
    // while a host waits for it.
    Path slow = bundles.resolve("slow.yml");
    Files.writeString(
        slow,
        Files.readString(EXAMPLE.resolve("cast.yml"))
            .replace(
                "command: [\"java\",",
                "command: [\"sh\", \"-c\", \"sleep 4; exec java -Xshare:auto"
                    + " -XX:TieredStopAtLevel=1 Hello.java\"]\n    #"));
    Main.Bundles.pack(EXAMPLE, null, "1.0.0", bundles.resolve("1.0.0.tar.gz"));
    for (String version : List.of("2.0.0", "3.0.0", "5.0.0")) {
      Main.Bundles.pack(EXAMPLE, slow, version, bundles.resolve(version + ".tar.gz"));
    }
    Main.Bundles.pack(
        EXAMPLE, EXAMPLE.resolve("broken.yml"), "4.0.0", bundles.resolve("4.0.0.tar.gz"));
    for (String version : List.of("1.0.0", "2.0.0", "3.0.0", "4.0.0", "5.0.0")) {
      ApiClient.Reply pushed = cast.api().pushBundle("hello", bundles.resolve(version + ".tar.gz"));
      assertThat(pushed.status()).as(pushed.body().toString()).isEqualTo(201);
    }
    JsonNode first = cast.api().awaitDeployment(deploy("1.0.0"), Duration.ofMinutes(2));
    assertThat(first.path("state").asText()).as(first.toString()).isEqualTo("SUCCEEDED");
  }

  @AfterAll
  static void stop() throws Exception {
    // The logs stay with the build's output, for when a run here or in CI needs explaining.
    Path logs = Path.of("target", "real-temporal");
    Files.createDirectories(logs);
    if (cast != null && Files.exists(cast.log())) {
      Files.copy(cast.log(), logs.resolve("server.log"), StandardCopyOption.REPLACE_EXISTING);
    }
    if (fleet != null) {
      fleet.close();
    }
    if (cast != null) {
      cast.close();
    }
    if (temporal != null) {
      temporal.close();
    }
  }

  @AfterEach
  void printTimeline() {
    timeline.print();
  }

  /** What a scenario does to Cast or Temporal once the deploy reaches the state it waits for. */
  private interface Fault {
    void strike() throws Exception;
  }

  /**
   * Deploys {@code version}, waits until {@code host} is {@code state}, strikes, and checks that
   * the deployment ends {@code end} with every host on {@code finalVersion}.
   */
  private void survives(
      String version, String host, String state, Fault fault, String end, String finalVersion)
      throws Exception {
    String id = deploy(version);
    timeline.mark("deploy " + id + " of " + version + " started, one host per batch");
    awaitHostState(id, host, state);
    timeline.mark(host + " is " + state);
    fault.strike();
    JsonNode done = cast.api().awaitDeployment(id, Duration.ofMinutes(3));
    timeline.mark("deployment " + done.path("state").asText());
    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo(end);
    assertEveryHostOn(finalVersion);
  }

  /** {@code kill -9} of the api, and a start again two seconds later. */
  private void killTheApi() throws Exception {
    cast.kill9();
    timeline.mark("api killed (kill -9)");
    Thread.sleep(2000);
    cast.start();
    timeline.mark("api started again");
  }

  @Test
  @Order(1)
  void aKillOfTheApiDuringTheSecondBatchsHealthWaitIsSurvived() throws Exception {
    survives("2.0.0", "real-2", "activating", this::killTheApi, "SUCCEEDED", "2.0.0");
  }

  @Test
  @Order(2)
  void aKillOfTheTemporalServerMidDeployIsSurvived() throws Exception {
    Fault killTemporal =
        () -> {
          temporal.kill9();
          timeline.mark("Temporal server killed (kill -9)");
          Thread.sleep(3000);
          temporal.start();
          timeline.mark("Temporal server started again on the same db file");
        };
    survives("3.0.0", "real-2", "activating", killTemporal, "SUCCEEDED", "3.0.0");
  }

  @Test
  @Order(3)
  void aKillOfTheApiDuringARevertIsSurvived() throws Exception {
    // 4.0.0 is broken: real-1 reverts to 3.0.0, which takes about 4 s to pass its checks.
    survives("4.0.0", "real-1", "reverting", this::killTheApi, "ROLLED_BACK", "3.0.0");
  }

  @Test
  @Order(4)
  void anApiUpgradeMidDeployReplaysTheRunAndFinishesIt() throws Exception {
    Fault upgrade =
        () -> {
          cast.stop();
          timeline.mark("api stopped (SIGTERM), as for an upgrade");
          cast.start();
          timeline.mark("api of the current build started: its worker replays the run");
        };
    survives("5.0.0", "real-2", "activating", upgrade, "SUCCEEDED", "5.0.0");
    for (JsonNode deployment : cast.api().get("/v1/apps/hello/deployments").body()) {
      assertThat(deployment.path("state").asText())
          .as("no deployment is left in an unknown state: " + deployment)
          .isIn("SUCCEEDED", "ROLLED_BACK");
    }
  }

  private static String deploy(String version) throws Exception {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("version", version);
    body.put("selector", Map.of("role", "real"));
    body.put("strategy", Map.of("maxParallel", 1));
    ApiClient.Reply started = cast.api().postJson("/v1/apps/hello/deployments", body);
    assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
    return started.body().path("id").asText();
  }

  private static void awaitHostState(String id, String host, String state) throws Exception {
    long end = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (true) {
      JsonNode now = cast.api().get("/v1/deployments/" + id).body();
      if (state.equals(CastServerHarness.hostStates(now).get(host))) {
        return;
      }
      assertThat(System.nanoTime())
          .as(host + " never became " + state + ": " + now)
          .isLessThan(end);
      Thread.sleep(50);
    }
  }

  /**
   * Every host runs {@code version}: its current link, the catalog, and exactly one process of the
   * service, started from that release.
   */
  private static void assertEveryHostOn(String version) throws Exception {
    Map<String, String> catalog = new LinkedHashMap<>();
    for (JsonNode row : cast.api().get("/v1/apps/hello").body().path("current")) {
      catalog.put(row.path("host").asText(), row.path("version").asText());
    }
    for (Fleet.Host host : hosts.values()) {
      Path current = host.dataDir().resolve("apps/hello/current");
      assertThat(Files.readSymbolicLink(current).getFileName().toString())
          .as(host.name() + "'s current release")
          .isEqualTo(version);
      assertThat(catalog).as("the catalog").containsEntry(host.name(), version);
      Map<String, String> groups = serviceGroupsUnder(host.dataDir());
      assertThat(groups).as(host.name() + "'s hello process groups").hasSize(1);
      assertThat(groups.values().iterator().next())
          .as(host.name() + "'s hello process")
          .contains("/releases/" + version);
    }
  }

  /**
   * The process groups of hello services whose working dir is under {@code dir}, each with its
   * processes (a service runs as a group of its own: {@code sh -c "sleep; exec java"} and the like
   * may show more than one process in it).
   */
  private static Map<String, String> serviceGroupsUnder(Path dir) throws Exception {
    Map<String, String> found = new LinkedHashMap<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          String cmd = Files.readString(proc.resolve("cmdline")).replace('\0', ' ');
          Path cwd = Files.readSymbolicLink(proc.resolve("cwd"));
          if (cmd.contains("Hello.java") && cwd.startsWith(dir.toRealPath())) {
            String stat = Files.readString(proc.resolve("stat"));
            // pid (comm) state ppid pgrp ...: the fields after the command's closing parenthesis.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            found.merge(
                fields[2],
                proc.getFileName() + " (parent " + fields[1] + ") " + cwd + ": " + cmd,
                (a, b) -> a + "; " + b);
          }
        } catch (java.io.IOException gone) {
          // The process ended while we looked.
        }
      }
    }
    return found;
  }

  /** What happened when, printed after each test. */
  private static final class Timeline {
    private final long start = System.nanoTime();
    private final List<String> lines = new ArrayList<>();

    void mark(String what) {
      lines.add(String.format("%7.1f s  %s", (System.nanoTime() - start) / 1e9, what));
    }

    void print() {
      System.out.println("timeline:\n  " + String.join("\n  ", lines));
    }
  }
}
