package dev.cast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.ecwid.consul.v1.ConsulClient;
import com.ecwid.consul.v1.health.HealthServicesRequest;
import com.ecwid.consul.v1.health.model.HealthService;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cast.bundle.BundlePacker;
import dev.cast.testkit.TempDirs;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The registry's catalog and health view (Consul's HTTP API) on a real server: what Cast deploys is
 * in it with its agent's health, blocking reads wake on changes, services from outside come and go.
 * One server and one deployment for every test.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegistryCatalogTest {
  private static final CastServerHarness CAST = new CastServerHarness();
  static final DropwizardAppExtension<ServerConfiguration> APP = CAST.app;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** A response: status, body, the X-Consul-Index header. */
  record Reply(int status, JsonNode body, long index, HttpResponse<String> raw) {}

  @BeforeAll
  static void deploy() throws Exception {
    CAST.deployExample();
  }

  @AfterAll
  static void stopServices() throws Exception {
    CAST.killServices();
  }

  private static Reply send(String method, String path, Object body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(CAST.baseUrl() + path))
            .header("Authorization", CAST.authorization())
            .timeout(Duration.ofSeconds(60))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    HttpResponse<String> response =
        HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode json = response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
    long index = response.headers().firstValue("X-Consul-Index").map(Long::parseLong).orElse(-1L);
    return new Reply(response.statusCode(), json, index, response);
  }

  private static Reply get(String path) throws Exception {
    return send("GET", path, null);
  }

  /** GETs {@code path} until its answer satisfies {@code until} (or 30 s pass). */
  private static Reply await(String path, Predicate<Reply> until) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    Reply reply = get(path);
    while (!until.test(reply) && System.nanoTime() < end) {
      Thread.sleep(100);
      reply = get(path);
    }
    return reply;
  }

  @Test
  @Order(1)
  void theDeployedInstanceIsHealthyInTheCatalog() throws Exception {
    Reply health = await("/v1/health/service/hello-web?passing", r -> r.body().size() == 1);

    assertThat(health.status()).isEqualTo(200);
    assertThat(health.body()).as(health.body().toString()).hasSize(1);
    assertThat(health.index()).isPositive();
    assertThat(health.raw().headers().firstValue("X-Consul-KnownLeader")).contains("true");
    assertThat(health.raw().headers().firstValue("X-Consul-LastContact")).contains("0");
    JsonNode entry = health.body().get(0);
    int port = CAST.api().get("/v1/apps/hello/instances").body().get(0).path("port").asInt();
    assertThat(entry.path("Node").path("Node").asText()).isEqualTo("local");
    assertThat(entry.path("Node").path("Datacenter").asText()).isEqualTo("dc1");
    JsonNode service = entry.path("Service");
    assertThat(service.path("ID").asText()).isEqualTo("hello-web-local");
    assertThat(service.path("Service").asText()).isEqualTo("hello-web");
    assertThat(service.path("Address").asText()).isEqualTo("127.0.0.1");
    assertThat(service.path("Port").asInt()).isEqualTo(port).isPositive();
    assertThat(JSON.convertValue(service.path("Tags"), String[].class))
        .containsExactly("web", "version=1.0.0");
    assertThat(JSON.convertValue(service.path("Meta"), new TypeReference<Map<String, String>>() {}))
        .containsEntry("app", "hello")
        .containsEntry("service", "web")
        .containsEntry("version", "1.0.0")
        .containsEntry("host", "local")
        .containsEntry("port_http", String.valueOf(port));
    assertThat(entry.path("Checks").findValuesAsText("Status")).containsOnly("passing");
    assertThat(entry.path("Checks").findValuesAsText("CheckID"))
        .contains("serfHealth", "service:hello-web-local");

    Reply catalog = get("/v1/catalog/service/hello-web?tag=web");
    assertThat(catalog.body()).hasSize(1);
    assertThat(catalog.body().get(0).path("ServiceAddress").asText()).isEqualTo("127.0.0.1");
    assertThat(catalog.body().get(0).path("ServicePort").asInt()).isEqualTo(port);
    assertThat(get("/v1/catalog/service/hello-web?tag=nope").body()).isEmpty();
    assertThat(get("/v1/catalog/services").body().has("hello-web")).isTrue();
    assertThat(get("/v1/catalog/nodes").body().findValuesAsText("Node")).contains("local");
    assertThat(get("/v1/catalog/nodes?dc=eu").status()).isEqualTo(400);

    // The same lookup through a Consul client nobody here wrote.
    ConsulClient consul = new ConsulClient("127.0.0.1", URI.create(CAST.baseUrl()).getPort());
    List<HealthService> healthy =
        consul
            .getHealthServices(
                "hello-web",
                HealthServicesRequest.newBuilder()
                    .setPassing(true)
                    .setToken(CAST.authorization().substring("Bearer ".length()))
                    .build())
            .getValue();
    assertThat(healthy).hasSize(1);
    assertThat(healthy.get(0).getService().getAddress()).isEqualTo("127.0.0.1");
    assertThat(healthy.get(0).getService().getPort()).isEqualTo(port);
    assertThat(healthy.get(0).getService().getTags()).containsExactly("web", "version=1.0.0");
    assertThat(healthy.get(0).getChecks())
        .extracting(c -> c.getStatus().name())
        .containsOnly("PASSING");
  }

  @Test
  @Order(2)
  void servicesFromOutsideComeAndGoAndWakeBlockedReads() throws Exception {
    long index = get("/v1/catalog/service/postgres").index();
    CompletableFuture<Reply> blocked =
        blockingGet("/v1/catalog/service/postgres?index=" + index + "&wait=30s");
    Thread.sleep(300);
    assertThat(blocked).as("a blocking read waits for a change").isNotDone();

    Reply registered =
        send(
            "PUT",
            "/v1/catalog/register",
            Map.of(
                "Node", "db1",
                "Address", "10.0.0.9",
                "Service", Map.of("ID", "pg-1", "Service", "postgres", "Port", 5432)));
    assertThat(registered.status()).as(registered.body().toString()).isEqualTo(200);

    Reply woken = blocked.get(10, TimeUnit.SECONDS);
    assertThat(woken.index()).isGreaterThan(index);
    assertThat(woken.body()).hasSize(1);
    assertThat(woken.body().get(0).path("Node").asText()).isEqualTo("db1");
    assertThat(woken.body().get(0).path("Address").asText()).isEqualTo("10.0.0.9");
    Reply health = get("/v1/health/service/postgres?passing");
    assertThat(health.body()).hasSize(1);
    assertThat(health.body().get(0).path("Checks")).isEmpty();

    Reply clash =
        send(
            "PUT",
            "/v1/catalog/register",
            Map.of(
                "Node", "db1", "Address", "10.0.0.9", "Service", Map.of("Service", "hello-web")));
    assertThat(clash.status()).isEqualTo(409);
    assertThat(clash.body().path("detail").asText()).contains("hello");
    Reply checked =
        send(
            "PUT",
            "/v1/catalog/register",
            Map.of(
                "Node",
                "db1",
                "Address",
                "10.0.0.9",
                "Service",
                Map.of("Service", "redis"),
                "Check",
                Map.of("HTTP", "http://10.0.0.9/")));
    assertThat(checked.status()).isEqualTo(400);
    assertThat(checked.raw().headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
    assertThat(get("/v1/catalog/service/redis").body()).isEmpty();

    assertThat(
            send("PUT", "/v1/catalog/deregister", Map.of("Node", "db1", "ServiceID", "pg-1"))
                .status())
        .isEqualTo(200);
    assertThat(get("/v1/catalog/service/postgres").body()).isEmpty();
    assertThat(get("/v1/catalog/nodes").body().findValuesAsText("Node")).doesNotContain("db1");

    assertThat(
            send(
                    "PUT",
                    "/v1/agent/service/register",
                    Map.of("ID", "cache-1", "Name", "cache", "Port", 6379))
                .status())
        .isEqualTo(200);
    Reply agent = get("/v1/catalog/service/cache");
    assertThat(agent.body()).hasSize(1);
    assertThat(agent.body().get(0).path("Node").asText()).isEqualTo("cast-api");
    assertThat(send("PUT", "/v1/agent/service/deregister/cache-1", null).status()).isEqualTo(200);
    assertThat(get("/v1/catalog/service/cache").body()).isEmpty();
    assertThat(send("PUT", "/v1/agent/service/deregister/cache-1", null).status()).isEqualTo(404);
  }

  @Test
  @Order(3)
  void aPushWhoseRegistryNameClashesWithAnotherAppIsRefused() throws Exception {
    assertThat(CAST.api().pushBundle("shop-api", bundle("shop-api", "v1")).status()).isEqualTo(201);

    ApiClient.Reply refused = CAST.api().pushBundle("shop", bundle("shop", "api-v1"));

    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.body().path("detail").asText())
        .contains("\"shop\"")
        .contains("\"shop-api\"")
        .contains("shop-api-v1");
    assertThat(CAST.api().get("/v1/apps/shop/releases").status()).isEqualTo(404);
  }

  @Test
  @Order(4)
  void stoppingTheServiceTurnsItCriticalAndWakesABlockedRead() throws Exception {
    long index = await("/v1/health/service/hello-web?passing", r -> r.body().size() == 1).index();
    CompletableFuture<Reply> blocked =
        blockingGet("/v1/health/service/hello-web?index=" + index + "&wait=60s");

    ApiClient.Reply stop = CAST.api().postJson("/v1/apps/hello/services/web/stop", Map.of());
    assertThat(stop.status()).isEqualTo(202);

    Reply woken = blocked.get(60, TimeUnit.SECONDS);
    assertThat(woken.index()).isGreaterThan(index);
    Reply critical =
        await(
            "/v1/health/service/hello-web",
            r -> r.body().path(0).path("Checks").findValuesAsText("Status").contains("critical"));
    assertThat(critical.body().get(0).path("Checks").findValuesAsText("Status"))
        .contains("critical");
    assertThat(get("/v1/health/service/hello-web?passing").body()).isEmpty();
  }

  private static CompletableFuture<Reply> blockingGet(String path) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return get(path);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  private static Path bundle(String app, String service) throws Exception {
    Path source = TempDirs.create("cast-registry-");
    Files.writeString(
        source.resolve("cast.yml"),
        "name: "
            + app
            + "\nversion: 1.0.0\nservices:\n  "
            + service
            + ":\n    command: [\"sleep\", \"100\"]\n");
    Path bundle = source.resolveSibling(source.getFileName() + ".tar.gz");
    BundlePacker.pack(source, bundle, null);
    return bundle;
  }
}
