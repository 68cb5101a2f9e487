package dev.cast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.ecwid.consul.v1.ConsulClient;
import com.ecwid.consul.v1.QueryParams;
import com.ecwid.consul.v1.Response;
import com.ecwid.consul.v1.kv.model.GetValue;
import com.ecwid.consul.v1.kv.model.PutParams;
import com.ecwid.consul.v1.session.model.NewSession;
import com.ecwid.consul.v1.session.model.Session;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The registry driven by a Consul client nobody here wrote ({@code com.ecwid.consul:consul-api},
 * what Spring Cloud Consul used) and by consul-template, against a real {@code cast server}
 * process: key/value reads and writes, a blocking read woken by a write, a session's lock, leader
 * election between two processes, a key that vanishes with its owner, bad input, a template
 * rendered again when its key changes, and writes that survive a {@code kill -9}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegistryConsulClientTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static ServerProcess server;
  private static ConsulClient consul;
  private static String token;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    server = new ServerProcess();
    server.start();
    token = Files.readString(server.dataDir.resolve("admin-token")).trim();
    consul = new ConsulClient("127.0.0.1", server.port);
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Test
  @Order(1)
  void keysAreReadWrittenComparedAndDeletedThroughAConsulClient() {
    assertThat(consul.setKVValue("config/hello/greeting", "hello", token, null).getValue())
        .isTrue();
    Response<GetValue> read = consul.getKVValue("config/hello/greeting", token);
    assertThat(read.getValue().getDecodedValue()).isEqualTo("hello");
    long modified = read.getValue().getModifyIndex();
    assertThat(read.getConsulIndex()).isEqualTo(modified);

    PutParams stale = new PutParams();
    stale.setCas(modified - 1);
    assertThat(consul.setKVValue("config/hello/greeting", "stale", token, stale).getValue())
        .isFalse();
    PutParams fresh = new PutParams();
    fresh.setCas(modified);
    fresh.setFlags(42);
    assertThat(consul.setKVValue("config/hello/greeting", "hi", token, fresh).getValue()).isTrue();
    GetValue now = consul.getKVValue("config/hello/greeting", token).getValue();
    assertThat(now.getDecodedValue()).isEqualTo("hi");
    assertThat(now.getFlags()).isEqualTo(42);
    assertThat(now.getModifyIndex()).isGreaterThan(modified);
    assertThat(now.getCreateIndex()).isEqualTo(read.getValue().getCreateIndex());

    PutParams createOnly = new PutParams();
    createOnly.setCas(0L);
    assertThat(consul.setKVValue("config/hello/greeting", "again", token, createOnly).getValue())
        .isFalse();
    assertThat(consul.setKVValue("config/hello/db/url", "pg://db", token, createOnly).getValue())
        .isTrue();
    consul.setKVValue("config/hello/db/pool", "8", token, null);
    consul.setKVValue("config/other/x", "1", token, null);

    List<GetValue> tree = consul.getKVValues("config/hello/", token).getValue();
    assertThat(tree)
        .extracting(GetValue::getKey)
        .containsExactly("config/hello/db/pool", "config/hello/db/url", "config/hello/greeting");
    assertThat(consul.getKVKeysOnly("config/", "/", token).getValue())
        .containsExactly("config/hello/", "config/other/");
    assertThat(consul.getKVKeysOnly("config/hello/", null, token).getValue()).hasSize(3);

    consul.deleteKVValue("config/hello/greeting", token);
    assertThat(consul.getKVValue("config/hello/greeting", token).getValue()).isNull();
    consul.deleteKVValues("config/hello/", token);
    assertThat(consul.getKVValues("config/hello/", token).getValue()).isNull();
    assertThat(consul.getKVValue("config/other/x", token).getValue().getDecodedValue())
        .isEqualTo("1");
  }

  @Test
  @Order(2)
  void aBlockingReadIsWokenByTheWriteNotByItsTimeout() throws Exception {
    consul.setKVValue("watch/me", "v1", token, null);
    long index = consul.getKVValue("watch/me", token).getConsulIndex();
    long started = System.nanoTime();
    CompletableFuture<Response<GetValue>> blocked =
        CompletableFuture.supplyAsync(
            () -> consul.getKVValue("watch/me", token, new QueryParams(60, index)));
    Thread.sleep(1_000);
    assertThat(blocked).isNotDone();
    // A write elsewhere does not answer it.
    consul.setKVValue("watch/other", "x", token, null);
    Thread.sleep(300);
    assertThat(blocked).isNotDone();
    consul.setKVValue("watch/me", "v2", token, null);
    Response<GetValue> woken = blocked.get(20, TimeUnit.SECONDS);
    assertThat(woken.getValue().getDecodedValue()).isEqualTo("v2");
    assertThat(woken.getConsulIndex()).isGreaterThan(index);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));

    // A recursive read blocks on its prefix, and a delete under it wakes it too.
    long treeIndex = consul.getKVValues("watch/", token).getConsulIndex();
    CompletableFuture<Response<List<GetValue>>> tree =
        CompletableFuture.supplyAsync(
            () -> consul.getKVValues("watch/", token, new QueryParams(60, treeIndex)));
    Thread.sleep(500);
    assertThat(tree).isNotDone();
    consul.deleteKVValue("watch/other", token);
    assertThat(tree.get(20, TimeUnit.SECONDS).getValue())
        .extracting(GetValue::getKey)
        .containsExactly("watch/me");
  }

  @Test
  @Order(3)
  void aSessionHoldsALockUntilItReleasesIt() {
    String first = session("first", Session.Behavior.RELEASE, 0);
    String second = session("second", Session.Behavior.RELEASE, 0);
    assertThat(acquire("locks/job", first, "one")).isTrue();
    assertThat(acquire("locks/job", first, "one again")).isTrue(); // the holder may re-acquire
    assertThat(acquire("locks/job", second, "two")).isFalse();
    GetValue held = consul.getKVValue("locks/job", token).getValue();
    assertThat(held.getSession()).isEqualTo(first);
    assertThat(held.getLockIndex()).isEqualTo(1);
    assertThat(held.getDecodedValue()).isEqualTo("one again");

    PutParams release = new PutParams();
    release.setReleaseSession(second);
    assertThat(consul.setKVValue("locks/job", "x", token, release).getValue()).isFalse();
    release.setReleaseSession(first);
    assertThat(consul.setKVValue("locks/job", "done", token, release).getValue()).isTrue();
    // An explicit release has no lock-delay: the other takes it at once.
    assertThat(acquire("locks/job", second, "two")).isTrue();
    assertThat(consul.getKVValue("locks/job", token).getValue().getLockIndex()).isEqualTo(2);

    // Destroying the holder releases the lock, then lock-delay keeps it free for a moment.
    consul.sessionDestroy(second, QueryParams.DEFAULT, token);
    assertThat(consul.getKVValue("locks/job", token).getValue().getSession()).isNull();
    assertThat(acquire("locks/job", first, "one")).isFalse();
    assertThat(consul.getSessionInfo(second, QueryParams.DEFAULT, token).getValue()).isNull();
    assertThat(consul.getSessionList(QueryParams.DEFAULT, token).getValue())
        .extracting(Session::getId)
        .contains(first)
        .doesNotContain(second);
  }

  @Test
  @Order(4)
  void killingTheLeaderHandsTheLockToTheOtherProcessWithinTtlAndLockDelay() throws Exception {
    Process a = elector("a");
    Process b = null;
    try {
      awaitLine(a, "LEADER a", Duration.ofSeconds(30));
      b = elector("b");
      Thread.sleep(2_000);
      assertThat(output("b")).doesNotContain("LEADER");
      long killed = System.nanoTime();
      a.destroyForcibly().waitFor();
      awaitLine(b, "LEADER b", Duration.ofSeconds(40));
      Duration handover = Duration.ofNanos(System.nanoTime() - killed);
      // TTL 10 s + lock-delay 1 s, plus the reaper's and the follower's polling, and room for a
      // busy machine.
      assertThat(handover).isLessThan(Duration.ofSeconds(16));
      assertThat(consul.getKVValue("service/leader", token).getValue().getDecodedValue())
          .isEqualTo("b");
    } finally {
      a.destroyForcibly();
      if (b != null) {
        b.destroyForcibly();
      }
    }
  }

  @Test
  @Order(5)
  void anEphemeralKeyVanishesWhenItsOwnerStopsRenewing() throws Exception {
    NewSession spec = new NewSession();
    spec.setName("ephemeral");
    spec.setTtl("10s");
    spec.setBehavior(Session.Behavior.DELETE);
    String owner = consul.sessionCreate(spec, QueryParams.DEFAULT, token).getValue();
    assertThat(acquire("instances/worker-1", owner, "10.0.0.7:8080")).isTrue();
    long index = consul.getKVValue("instances/worker-1", token).getConsulIndex();
    // Renewed, it outlives its TTL.
    for (int i = 0; i < 3; i++) {
      Thread.sleep(4_000);
      assertThat(consul.renewSession(owner, QueryParams.DEFAULT, token).getValue().getId())
          .isEqualTo(owner);
    }
    assertThat(consul.getKVValue("instances/worker-1", token).getValue()).isNotNull();
    // Then its owner goes quiet: a watcher sees the key go.
    long quiet = System.nanoTime();
    Response<GetValue> gone = null;
    while (System.nanoTime() - quiet < Duration.ofSeconds(30).toNanos()) {
      gone = consul.getKVValue("instances/worker-1", token, new QueryParams(30, index));
      if (gone.getValue() == null) {
        break;
      }
      index = gone.getConsulIndex();
    }
    assertThat(gone.getValue()).isNull();
    // Its TTL (10 s) after the last renewal, plus the reaper's polling and room for a busy machine.
    assertThat(Duration.ofNanos(System.nanoTime() - quiet)).isLessThan(Duration.ofSeconds(15));
    assertThat(consul.getSessionInfo(owner, QueryParams.DEFAULT, token).getValue()).isNull();
  }

  @Test
  @Order(5)
  void aSmallAnswerGoesOutWholeWithItsLengthNotInChunks() throws Exception {
    // One write to the socket, not a chunk then an empty last chunk: what a watcher's and a
    // writer's answer cost (Jackson's flush after each value once sent every JSON answer chunked).
    HttpResponse<String> written = put("/v1/kv/whole/answer", "v");
    assertThat(written.body()).isEqualTo("true");
    assertThat(written.headers().firstValue("Content-Length")).contains("4");
    assertThat(written.headers().firstValue("Transfer-Encoding")).isEmpty();
    HttpResponse<String> read = get("/v1/kv/whole/answer");
    assertThat(read.headers().firstValue("Content-Length"))
        .contains("" + read.body().getBytes(StandardCharsets.UTF_8).length);
    assertThat(read.headers().firstValue("Transfer-Encoding")).isEmpty();
  }

  @Test
  @Order(6)
  void badInputIsRefusedWithAConsulStyleMessageAndWritesNothing() throws Exception {
    long before = index();
    assertRefused(put("/v1/kv/a/%2E%2E/b", "v"), 400, "");
    assertRefused(put("/v1/kv/a%7Fb", "v"), 400, "");
    assertRefused(put("/v1/kv/big", "x".repeat(512 * 1024 + 1)), 413, "exceeds 524288 byte limit");
    assertRefused(put("/v1/kv/k?cas=twelve", "v"), 400, "Invalid CAS index");
    assertRefused(put("/v1/kv/k?flags=-1", "v"), 400, "Invalid flags");
    assertRefused(put("/v1/kv/k?acquire=no-such-session", "v"), 400, "Invalid session");
    assertRefused(get("/v1/kv/k?index=1&wait=-5s"), 400, "Invalid wait time");
    assertRefused(get("/v1/kv/k?index=1&wait=99999999999999999999h"), 400, "Invalid wait time");
    assertRefused(get("/v1/kv/k?index=x"), 400, "Invalid index");
    List<Map<String, Object>> ops = new ArrayList<>();
    for (int i = 0; i < 65; i++) {
      ops.add(Map.of("KV", Map.of("Verb", "set", "Key", "txn/" + i, "Value", "dg==")));
    }
    assertRefused(send("PUT", "/v1/txn", JSON.writeValueAsString(ops)), 413, "65 > 64");
    assertRefused(
        send("PUT", "/v1/txn", "[{\"KV\": {\"Verb\": \"explode\", \"Key\": \"k\"}}]"),
        400,
        "unknown Verb");
    assertRefused(
        send("PUT", "/v1/session/create", "{\"TTL\": \"5s\"}"),
        400,
        "must be between [10s=24h0m0s]");
    assertRefused(
        send("PUT", "/v1/session/create", "{\"Node\": \"no-such-host\"}"),
        400,
        "Missing node registration");
    assertThat(consul.getKVKeysOnly("txn/", null, token).getValue()).isNull();
    assertThat(consul.getKVValue("k", token).getValue()).isNull();
    assertThat(index()).isEqualTo(before);

    // A failed transaction applies none of its operations.
    HttpResponse<String> failed =
        send(
            "PUT",
            "/v1/txn",
            "[{\"KV\": {\"Verb\": \"set\", \"Key\": \"txn/a\", \"Value\": \"dg==\"}},"
                + " {\"KV\": {\"Verb\": \"check-index\", \"Key\": \"txn/missing\", \"Index\": 3}}]");
    assertThat(failed.statusCode()).isEqualTo(409);
    JsonNode errors = JSON.readTree(failed.body()).path("Errors");
    assertThat(errors.get(0).path("OpIndex").asInt()).isEqualTo(1);
    assertThat(consul.getKVValue("txn/a", token).getValue()).isNull();
  }

  @Test
  @Order(7)
  void aTokenLimitedToAPrefixReadsThatPrefixAndNothingElse() throws Exception {
    consul.setKVValue("config/hello/greeting", "hello", token, null);
    consul.setKVValue("config/billing/secret", "s3cr3t", token, null);
    ApiClient.Reply created =
        server
            .api()
            .postJson(
                "/v1/tokens",
                Map.of(
                    "name",
                    "hello-app",
                    "role",
                    "viewer",
                    "kv",
                    List.of(Map.of("prefix", "config/hello/", "access", "read"))));
    assertThat(created.status()).isEqualTo(201);
    String limited = created.body().path("secret").asText();
    assertThat(consul.getKVValue("config/hello/greeting", limited).getValue().getDecodedValue())
        .isEqualTo("hello");
    assertThat(consul.getKVValues("config/", limited).getValue())
        .extracting(GetValue::getKey)
        .containsExactly("config/hello/greeting");
    HttpResponse<String> secret =
        HTTP.send(
            HttpRequest.newBuilder(url("/v1/kv/config/billing/secret"))
                .header("X-Consul-Token", limited)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertRefused(secret, 403, "may not read key");
    HttpResponse<String> write =
        HTTP.send(
            HttpRequest.newBuilder(url("/v1/kv/config/hello/greeting?token=" + limited))
                .PUT(HttpRequest.BodyPublishers.ofString("hijacked"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertRefused(write, 403, "may not write");
    HttpResponse<String> apps =
        HTTP.send(
            HttpRequest.newBuilder(url("/v1/apps"))
                .header("Authorization", "Bearer " + limited)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertRefused(apps, 403, "limited to registry keys");
    assertThat(consul.getKVValue("config/hello/greeting", token).getValue().getDecodedValue())
        .isEqualTo("hello");
  }

  @Test
  @Order(8)
  void consulTemplateRendersFromTheRegistryAndRendersAgainWhenAKeyChanges() throws Exception {
    Path binary = consulTemplate();
    Assumptions.assumeTrue(
        binary != null, "consul-template is not installed (.ci/run builds it with go install)");
    consul.setKVValue("config/web/greeting", "Hello", token, null);
    consul.setKVValue("config/web/pool/size", "8", token, null);
    // A database Cast did not deploy, registered in Consul's shape.
    HttpResponse<String> registered =
        send(
            "PUT",
            "/v1/catalog/register",
            "{\"Node\": \"db-1\", \"Address\": \"10.0.0.9\", \"Service\": {\"Service\": \"pg\","
                + " \"ID\": \"pg-main\", \"Port\": 5432}}");
    assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);
    Path template = server.dataDir.resolve("web.tmpl");
    Path rendered = server.dataDir.resolve("web.conf");
    Files.writeString(
        template,
        "greeting={{ key \"config/web/greeting\" }}\n"
            + "{{ range ls \"config/web/pool/\" }}pool.{{ .Key }}={{ .Value }}\n{{ end }}"
            + "{{ range service \"pg\" }}db={{ .Address }}:{{ .Port }}\n{{ end }}");
    ProcessBuilder run =
        new ProcessBuilder(
                binary.toString(),
                "-template",
                template + ":" + rendered,
                "-wait",
                "0s",
                "-log-level",
                "warn")
            .redirectErrorStream(true)
            .redirectOutput(server.dataDir.resolve("consul-template.log").toFile());
    run.environment().put("CONSUL_HTTP_ADDR", "127.0.0.1:" + server.port);
    run.environment().put("CONSUL_HTTP_TOKEN", token);
    Process watcher = run.start();
    try {
      awaitFile(rendered, "greeting=Hello\npool.size=8\ndb=10.0.0.9:5432\n", watcher);
      consul.setKVValue("config/web/greeting", "Bonjour", token, null);
      awaitFile(rendered, "greeting=Bonjour\npool.size=8\ndb=10.0.0.9:5432\n", watcher);
    } finally {
      watcher.destroy();
      watcher.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  @Order(9)
  void registrationsAreAuditedWithoutTheTokenAndKeyWritesAreNot() throws Exception {
    HttpResponse<String> registered =
        HTTP.send(
            HttpRequest.newBuilder(url("/v1/catalog/register?token=" + token))
                .PUT(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"Node\": \"cache-1\", \"Address\": \"10.0.0.5\", \"Service\":"
                            + " {\"Service\": \"redis\", \"Port\": 6379}}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);
    JsonNode audit = server.api().get("/v1/audit?limit=500").body();
    List<String> actions = audit.findValuesAsText("action");
    assertThat(actions).contains("PUT /v1/catalog/register");
    assertThat(actions).noneMatch(a -> a.contains("/v1/kv") || a.contains("/v1/session"));
    assertThat(audit.toString()).doesNotContain(token);
  }

  private static Path consulTemplate() {
    List<Path> candidates = new ArrayList<>();
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      candidates.add(Path.of(dir, "consul-template"));
    }
    candidates.add(Path.of(System.getProperty("user.home"), "go", "bin", "consul-template"));
    return candidates.stream().filter(Files::isExecutable).findFirst().orElse(null);
  }

  private void awaitFile(Path file, String content, Process writer) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < end) {
      if (Files.exists(file) && Files.readString(file).equals(content)) {
        return;
      }
      if (!writer.isAlive()) {
        break;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(
        file
            + " never became "
            + content
            + "; it is "
            + (Files.exists(file) ? Files.readString(file) : "absent")
            + "; consul-template said: "
            + Files.readString(server.dataDir.resolve("consul-template.log")));
  }

  @Test
  @Order(99)
  void everyAcknowledgedWriteSurvivesAKill9OfTheApi() throws Exception {
    Map<String, String> acknowledged = new ConcurrentHashMap<>();
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService writers = Executors.newFixedThreadPool(8);
    for (int w = 0; w < 8; w++) {
      int writer = w;
      writers.execute(
          () -> {
            for (int i = 0; !stop.get(); i++) {
              String key = "durable/" + writer + "/" + i;
              try {
                if (Boolean.TRUE.equals(consul.setKVValue(key, "v" + i, token, null).getValue())) {
                  acknowledged.put(key, "v" + i);
                }
              } catch (RuntimeException e) {
                return; // the api is gone
              }
            }
          });
    }
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (acknowledged.size() < 300 && System.nanoTime() < end) {
      Thread.sleep(20);
    }
    server.kill9();
    stop.set(true);
    writers.shutdown();
    assertThat(writers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(300);

    server.start();
    List<GetValue> kept = consul.getKVValues("durable/", token).getValue();
    Map<String, String> found = new ConcurrentHashMap<>();
    kept.forEach(v -> found.put(v.getKey(), v.getDecodedValue()));
    assertThat(found).containsAllEntriesOf(acknowledged);
    // The index goes on from where it was, never back.
    long highest = kept.stream().mapToLong(GetValue::getModifyIndex).max().orElseThrow();
    consul.setKVValue("durable/after", "x", token, null);
    assertThat(consul.getKVValue("durable/after", token).getValue().getModifyIndex())
        .isGreaterThan(highest);
  }

  private static long index() throws Exception {
    HttpResponse<String> any = get("/v1/kv/?keys");
    return Long.parseLong(any.headers().firstValue("X-Consul-Index").orElseThrow());
  }

  private static String session(String name, Session.Behavior behavior, long lockDelay) {
    NewSession spec = new NewSession();
    spec.setName(name);
    spec.setTtl("60s");
    spec.setBehavior(behavior);
    spec.setLockDelay(lockDelay == 0 ? 15 : lockDelay);
    return consul.sessionCreate(spec, QueryParams.DEFAULT, token).getValue();
  }

  private static boolean acquire(String key, String session, String value) {
    PutParams acquire = new PutParams();
    acquire.setAcquireSession(session);
    return consul.setKVValue(key, value, token, acquire).getValue();
  }

  private Process elector(String name) throws Exception {
    Path out = server.dataDir.resolve("elector-" + name + ".log");
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx64m",
            "-cp",
            System.getProperty("java.class.path"),
            LeaderElector.class.getName(),
            String.valueOf(server.port),
            token,
            name,
            "service/leader")
        .redirectErrorStream(true)
        .redirectOutput(out.toFile())
        .start();
  }

  private String output(String name) throws Exception {
    Path log = server.dataDir.resolve("elector-" + name + ".log");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  private void awaitLine(Process elector, String line, Duration timeout) throws Exception {
    String name = line.substring(line.indexOf(' ') + 1);
    Path log = server.dataDir.resolve("elector-" + name + ".log");
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (Files.exists(log) && Files.readString(log).contains(line)) {
        return;
      }
      if (!elector.isAlive()) {
        throw new AssertionError("elector " + name + " died: " + Files.readString(log));
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no \"" + line + "\" within " + timeout + ": " + output(name));
  }

  private static void assertRefused(HttpResponse<String> response, int status, String says) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.body()).contains(says);
  }

  private static URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.port + path);
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(url(path)).header("X-Consul-Token", token).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> put(String path, String body) throws Exception {
    return send("PUT", path, body);
  }

  private static HttpResponse<String> send(String method, String path, String body)
      throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(url(path))
            .header("X-Consul-Token", token)
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
