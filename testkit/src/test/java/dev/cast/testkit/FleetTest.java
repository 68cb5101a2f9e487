package dev.cast.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet with {@link FakeAgent} in place of Cast's agent and a fake api that records who
 * registered: addresses, reachability, a killed and restarted agent, and what close() leaves. Runs
 * isolated where this machine allows and on loopback otherwise, and once forced to loopback.
 */
class FleetTest {
  private final Map<String, String> registered = new ConcurrentHashMap<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private HttpServer api;
  @TempDir Path dir;

  @BeforeEach
  void startApi() throws Exception {
    api = HttpServer.create(new InetSocketAddress(0), 0);
    api.createContext(
        "/v1/hosts/",
        exchange -> {
          String name = exchange.getRequestURI().getPath().substring("/v1/hosts/".length());
          if (exchange.getRequestMethod().equals("PUT")) {
            registered.put(
                name, new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          }
          String address = registered.get(name);
          byte[] body = (address == null ? "" : address).getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(
              address == null ? 404 : 200, body.length == 0 ? -1 : body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    api.start();
  }

  @AfterEach
  void stopApi() {
    api.stop(0);
  }

  @Test
  void hostsRegisterServeAndAreGoneAfterClose() throws Exception {
    exercise(build("auto"));
  }

  @Test
  void forcedOffRunsEveryHostOnLoopback() throws Exception {
    Fleet fleet = build("off");

    assertThat(fleet.isolated()).isFalse();
    assertThat(fleet.whyNotIsolated()).contains("cast.fleet.isolation=off");
    assertThatThrownBy(fleet::addMachine)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("isolated fleet");
    exercise(fleet);
  }

  @Test
  void aMachineWithoutAnAgentReachesHostsAndApiAndIsGoneAfterClose() throws Exception {
    Fleet fleet = build("auto");
    if (!fleet.isolated()) {
      fleet.close();
      Assumptions.assumeTrue(false, fleet.whyNotIsolated());
    }
    Fleet.Machine machine;
    Process sleeper;
    try (fleet) {
      Fleet.Host a = fleet.add("a");
      fleet.awaitRegistered(a);

      machine = fleet.addMachine();
      sleeper = machine.command("sleep", "600").start();

      assertThat(machine.address()).isNotEqualTo(a.address()).startsWith("10.213.");
      assertThat(read(machine::command, a.address(), port(a), "/")).isEqualTo("hello from a");
      String gateway = URI.create(fleet.apiUrlForHosts()).getHost();
      assertThat(read(machine::command, gateway, api.getAddress().getPort(), "/v1/hosts/a"))
          .isEqualTo(a.address());
      assertThat(sleeper.isAlive()).isTrue();
    }

    assertThat(sleeper.waitFor(10, TimeUnit.SECONDS))
        .as("what ran on the machine is killed")
        .isTrue();
    assertThat(Commands.run(List.of(Commands.ip("netns", "list"))).output())
        .doesNotContain(machine.namespace());
  }

  private Fleet build(String mode) throws Exception {
    String before = System.getProperty(Fleet.ISOLATION_PROPERTY);
    System.setProperty(Fleet.ISOLATION_PROPERTY, mode);
    try {
      return Fleet.builder()
          .classpath(System.getProperty("java.class.path"))
          .mainClass(FakeAgent.class.getName())
          .apiPort(api.getAddress().getPort())
          .temporalPort(7233)
          .baseDir(dir.resolve("fleet"))
          .build();
    } finally {
      if (before == null) {
        System.clearProperty(Fleet.ISOLATION_PROPERTY);
      } else {
        System.setProperty(Fleet.ISOLATION_PROPERTY, before);
      }
    }
  }

  private void exercise(Fleet fleet) throws Exception {
    List<String> namespaces;
    try (fleet) {
      Fleet.Host a = fleet.add("a", Map.of("role", "test"));
      Fleet.Host b = fleet.add("b");
      assertThat(fleet.awaitRegistered(a)).isEqualTo(a.address());
      assertThat(fleet.awaitRegistered(b)).isEqualTo(b.address());
      if (fleet.isolated()) {
        assertThat(a.address()).isNotEqualTo(b.address()).isNotEqualTo("127.0.0.1");
        assertThat(fleet.temporalForHosts())
            .isEqualTo(fleet.apiUrlForHosts().substring(7).replaceAll(":\\d+$", "") + ":7233");
        assertThat(read(b, a)).isEqualTo("hello from a");
        assertThat(read(a, b)).isEqualTo("hello from b");
      } else {
        assertThat(a.address()).isEqualTo("127.0.0.1");
        assertThat(fleet.temporalForHosts()).isEqualTo("127.0.0.1:7233");
      }
      assertThat(get("http://" + a.address() + ":" + port(a))).isEqualTo("hello from a");
      assertThat(get("http://" + b.address() + ":" + port(b))).isEqualTo("hello from b");

      long service = serviceOf(a);
      a.kill9();
      assertThat(a.isAlive()).isFalse();
      assertThat(ProcessHandle.of(service).map(ProcessHandle::isAlive))
          .as("its service")
          .hasValue(true);
      registered.remove("a");
      a.restart();
      assertThat(fleet.awaitRegistered(a)).isEqualTo(a.address());
      assertThat(a.log()).contains("starting agent a").contains("registered: 200");

      namespaces = fleet.hosts().stream().flatMap(h -> h.namespace().stream()).toList();
    }

    assertThat(fleet.hosts()).allSatisfy(h -> assertThat(h.isAlive()).isFalse());
    assertThat(services()).as("services left under " + fleet.baseDir()).isEmpty();
    String list = Commands.run(List.of(Commands.ip("netns", "list"))).output();
    for (String ns : namespaces) {
      assertThat(list).doesNotContain(ns);
    }
    assertThat(Commands.run(List.of(Commands.ip("-o", "link", "show"))).output())
        .as("no root link of this JVM's fleets")
        .doesNotContain(
            FleetNames.LINK_PREFIX + Long.toString(ProcessHandle.current().pid(), 36) + "-");
  }

  private String read(Fleet.Host from, Fleet.Host to) throws Exception {
    return read(from::command, to.address(), port(to), "/");
  }

  /**
   * The body of {@code GET path} from {@code address:port}, sent by a command run by {@code on}.
   */
  private static String read(
      Function<String[], ProcessBuilder> on, String address, int port, String path)
      throws Exception {
    Process curl =
        on.apply(
                new String[] {
                  "bash",
                  "-c",
                  "exec 3<>/dev/tcp/"
                      + address
                      + "/"
                      + port
                      + " && printf 'GET "
                      + path
                      + " HTTP/1.0\\r\\n\\r\\n' >&3 && cat <&3"
                })
            .redirectErrorStream(true)
            .start();
    String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    curl.waitFor();
    return out.substring(out.indexOf("\r\n\r\n") + 4);
  }

  private static int port(Fleet.Host host) throws Exception {
    Path file = host.dataDir().resolve("port");
    for (int i = 0; i < 100 && !Files.exists(file); i++) {
      Thread.sleep(50);
    }
    return Integer.parseInt(Files.readString(file).trim());
  }

  private String get(String url) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private long serviceOf(Fleet.Host host) {
    String marker = host.dataDir().resolve("service").toString();
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().orElse("").contains(marker))
        .findFirst()
        .orElseThrow()
        .pid();
  }

  private List<Long> services() {
    String marker = dir.toString();
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().orElse("").contains(marker))
        .filter(p -> p.pid() != ProcessHandle.current().pid())
        .map(ProcessHandle::pid)
        .toList();
  }
}
