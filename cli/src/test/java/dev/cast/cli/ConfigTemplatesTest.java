package dev.cast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cast.testkit.TempDirs;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Config templates end to end: a release's template renders a key and a secret from the registry
 * into its release dir on the host, the deployment records the files (secret masked) and the
 * registry index; a release whose template names a missing key fails before the old release stops.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConfigTemplatesTest {
  private static final CastServerHarness CAST = new CastServerHarness();
  static final DropwizardAppExtension<ServerConfiguration> APP = CAST.app;
  private static final String SECRET = "pw-7f3a9c";
  private static final String MANIFEST =
      """
      name: greeter
      version: 1.0.0
      services:
        web:
          command: ["java", "-Xshare:auto", "-XX:TieredStopAtLevel=1", "Hello.java"]
          ports: [http]
          health:
            http: {port: http, path: /health}
            interval: 1s
            timeout: 1s
          stop: {signal: TERM, grace: 5s}
      templates:
        - src: config/app.properties.tmpl
          dest: config/app.properties
          mode: "0640"
          on_change: restart
      """;
  private static final String TEMPLATE_V1 =
      """
      greeting={{key "config/greeter/greeting"}}
      password={{secret (key "config/greeter/password")}}
      host={{host.name}} port={{ports.http}}
      """;
  private static final String TEMPLATE_V2 =
      """
      greeting={{key "config/greeter/greeting"}}
      password={{secret (key "config/greeter/password")}}
      missing={{key "config/greeter/missing"}}
      """;

  private static final String TEMPLATE_V4 =
      """
      {{#each (ls "config/greeter/features/")}}feature.{{@key}}={{this}}
      {{/each}}{{#each (service "pg")}}db={{address}}:{{port}}
      {{/each}}""";

  private static Path bundles;
  private static Path app;

  @BeforeAll
  static void packReleases() throws Exception {
    bundles = TempDirs.create("cast-templates-");
    Path source = Files.createDirectories(bundles.resolve("greeter"));
    Files.copy(Path.of("../examples/hello/Hello.java"), source.resolve("Hello.java"));
    Files.writeString(source.resolve("cast.yml"), MANIFEST);
    Path template =
        Files.createDirectories(source.resolve("config")).resolve("app.properties.tmpl");
    Files.writeString(template, TEMPLATE_V1);
    Main.Bundles.pack(source, null, "1.0.0", bundles.resolve("v1.tar.gz"));
    Files.writeString(template, TEMPLATE_V2);
    Main.Bundles.pack(source, null, "2.0.0", bundles.resolve("v2.tar.gz"));
    Files.writeString(template, TEMPLATE_V1);
    Main.Bundles.pack(source, null, "3.0.0", bundles.resolve("v3.tar.gz"));
    Files.writeString(template, TEMPLATE_V4);
    Main.Bundles.pack(source, null, "4.0.0", bundles.resolve("v4.tar.gz"));
    app = CAST.dataDir.resolve("agent/apps/greeter");
    CAST.awaitHost();
  }

  @AfterAll
  static void stopServices() throws Exception {
    CAST.killServices();
  }

  private static JsonNode deploy(String version) throws Exception {
    ApiClient.Reply started =
        CAST.api().postJson("/v1/apps/greeter/deployments", Map.of("version", version));
    assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
    return CAST.api().awaitDeployment(started.body().path("id").asText(), Duration.ofMinutes(2));
  }

  private static long servicePid() throws Exception {
    return new ObjectMapper().readTree(app.resolve("run/web.json").toFile()).path("pid").asLong();
  }

  @Test
  @Order(1)
  void aTemplateRendersTheRegistryIntoTheReleaseAndTheDeploymentRecordsItMasked() throws Exception {
    CAST.putKey("config/greeter/greeting", "Bonjour");
    long index = CAST.putKey("config/greeter/password", SECRET);
    assertThat(CAST.api().pushBundle("greeter", bundles.resolve("v1.tar.gz")).status())
        .isEqualTo(201);

    JsonNode done = deploy("1.0.0");

    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    Path file = app.resolve("releases/1.0.0/config/app.properties");
    int port = CAST.api().get("/v1/apps/greeter/instances").body().get(0).path("port").asInt();
    assertThat(file)
        .hasContent("greeting=Bonjour\npassword=" + SECRET + "\nhost=local port=" + port + "\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-r-----");
    assertThat(done.path("configIndex").asLong()).as(done.toString()).isGreaterThanOrEqualTo(index);

    JsonNode config =
        CAST.api().get("/v1/deployments/" + done.path("id").asText() + "/config").body();
    assertThat(config.toString()).doesNotContain(SECRET);
    assertThat(config.path("configIndex").asLong()).isEqualTo(done.path("configIndex").asLong());
    JsonNode host = config.path("hosts").get(0);
    assertThat(host.path("host").asText()).isEqualTo("local");
    JsonNode recorded = host.path("files").get(0);
    assertThat(recorded.path("dest").asText()).isEqualTo("config/app.properties");
    assertThat(recorded.path("mode").asText()).isEqualTo("0640");
    assertThat(recorded.path("onChange").asText()).isEqualTo("restart");
    assertThat(recorded.path("secrets").asInt()).isEqualTo(1);
    assertThat(recorded.path("content").asText())
        .isEqualTo("greeting=Bonjour\npassword=••••••\nhost=local port=" + port + "\n");
  }

  @Test
  @Order(2)
  void aTemplateNamingAMissingKeyFailsBeforeTheOldReleaseStops() throws Exception {
    long pid = servicePid();
    String url = CAST.instanceUrl("greeter");
    assertThat(CAST.fetch(url)).startsWith("hello from version 1.0.0");
    assertThat(CAST.api().pushBundle("greeter", bundles.resolve("v2.tar.gz")).status())
        .isEqualTo(201);

    JsonNode done = deploy("2.0.0");

    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("ROLLED_BACK");
    assertThat(done.path("cause").asText())
        .contains("CONFIG_TEMPLATE_FAILED")
        .contains("template config/app.properties.tmpl line 3")
        .contains("key \"config/greeter/missing\" is not in the registry")
        .doesNotContain(SECRET);
    assertThat(done.path("configIndex").isNull()).as(done.toString()).isTrue();
    assertThat(servicePid()).isEqualTo(pid);
    assertThat(CAST.fetch(url)).startsWith("hello from version 1.0.0");
    assertThat(Files.readSymbolicLink(app.resolve("current")).toString()).endsWith("1.0.0");
    assertThat(app.resolve("releases/2.0.0/config/app.properties")).doesNotExist();
    JsonNode current = CAST.api().get("/v1/apps/greeter").body().path("current").get(0);
    assertThat(current.path("version").asText()).isEqualTo("1.0.0");
  }

  @Test
  @Order(3)
  void aHostTokenReadsTheRegistryAndNothingElse() throws Exception {
    String hostToken = Files.readString(CAST.dataDir.resolve("agent/host-token")).trim();
    HttpClient http = HttpClient.newHttpClient();
    java.util.function.Function<HttpRequest.Builder, Integer> status =
        request -> {
          try {
            return http.send(
                    request.header("Authorization", "Bearer " + hostToken).build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        };
    String base = CAST.baseUrl();

    assertThat(
            status.apply(
                HttpRequest.newBuilder(URI.create(base + "/v1/kv/config/greeter/greeting"))))
        .isEqualTo(200);
    assertThat(status.apply(HttpRequest.newBuilder(URI.create(base + "/v1/health/service/x"))))
        .isEqualTo(200);
    assertThat(
            status.apply(
                HttpRequest.newBuilder(URI.create(base + "/v1/kv/config/greeter/greeting"))
                    .PUT(HttpRequest.BodyPublishers.ofString("changed"))))
        .isEqualTo(401);
    assertThat(status.apply(HttpRequest.newBuilder(URI.create(base + "/v1/apps")))).isEqualTo(401);
    assertThat(
            CAST.api().get("/v1/kv/config/greeter/greeting").body().get(0).path("Value").asText())
        .as("the host's write changed nothing")
        .isEqualTo("Qm9uam91cg==");
  }

  @Test
  @Order(4)
  void aRollbackPutsBackTheConfigTheReleaseHadNotTodaysValues() throws Exception {
    CAST.putKey("config/greeter/greeting", "Hola");
    assertThat(CAST.api().pushBundle("greeter", bundles.resolve("v3.tar.gz")).status())
        .isEqualTo(201);
    JsonNode v3 = deploy("3.0.0");
    assertThat(v3.path("state").asText()).as(v3.toString()).isEqualTo("SUCCEEDED");
    assertThat(app.resolve("releases/3.0.0/config/app.properties"))
        .content()
        .startsWith("greeting=Hola\n");

    ApiClient.Reply started = CAST.api().postJson("/v1/apps/greeter/rollback", Map.of());
    assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
    JsonNode back =
        CAST.api().awaitDeployment(started.body().path("id").asText(), Duration.ofMinutes(2));
    assertThat(back.path("state").asText()).as(back.toString()).isEqualTo("SUCCEEDED");
    assertThat(Files.readSymbolicLink(app.resolve("current")).toString()).endsWith("1.0.0");
    // As it was rendered at 1.0.0's deployment, not with today's greeting.
    assertThat(app.resolve("releases/1.0.0/config/app.properties"))
        .content()
        .startsWith("greeting=Bonjour\n");
  }

  @Test
  @Order(5)
  void aTemplateListsAPrefixAndFindsAServiceThroughTheRegistry() throws Exception {
    CAST.putKey("config/greeter/features/a", "on");
    CAST.putKey("config/greeter/features/b", "off");
    HttpResponse<String> registered =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(CAST.baseUrl() + "/v1/catalog/register"))
                    .header("Authorization", CAST.authorization())
                    .PUT(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"Node\": \"db-1\", \"Address\": \"10.0.0.9\", \"Service\":"
                                + " {\"Service\": \"pg\", \"Port\": 5432}}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);
    assertThat(CAST.api().pushBundle("greeter", bundles.resolve("v4.tar.gz")).status())
        .isEqualTo(201);

    JsonNode done = deploy("4.0.0");

    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    assertThat(app.resolve("releases/4.0.0/config/app.properties"))
        .hasContent("feature.a=on\nfeature.b=off\ndb=10.0.0.9:5432\n");
  }
}
