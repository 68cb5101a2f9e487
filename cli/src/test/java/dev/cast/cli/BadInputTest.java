package dev.cast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every kind of bad input is refused with a 4xx problem that names what is wrong, before anything
 * on disk changes, while the serving release keeps serving.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class BadInputTest {
  private static final CastServerHarness CAST = new CastServerHarness();
  static final DropwizardAppExtension<ServerConfiguration> APP = CAST.app;
  private static final String GOOD =
      "name: hello\nversion: 9.0.0\nservices:\n  web:\n    command: [\"sleep\", \"1000\"]\n";
  private static String servingUrl;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void deployAServingRelease() throws Exception {
    CAST.deployExample();
    servingUrl = CAST.instanceUrl("hello");
  }

  @AfterAll
  static void stopServices() throws Exception {
    CAST.killServices();
  }

  /** Pushes raw bytes and checks the refusal, then that nothing changed anywhere. */
  private JsonNode refused(byte[] body, int status, String... detailParts) throws Exception {
    List<String> before = snapshot();
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:" + APP.getLocalPort() + "/v1/apps/hello/releases"))
                .header("Authorization", CAST.authorization())
                .header("Content-Type", "application/gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    JsonNode problem = new ObjectMapper().readTree(response.body());
    assertThat(problem.path("detail").asText()).contains(detailParts);
    assertThat(snapshot()).as("nothing on disk changed").isEqualTo(before);
    assertThat(CAST.fetch(servingUrl)).startsWith("hello from version 1.0.0");
    return problem;
  }

  private static List<String> snapshot() throws IOException {
    try (Stream<Path> files = Files.walk(CAST.dataDir)) {
      return files
          .map(p -> CAST.dataDir.relativize(p).toString())
          .filter(p -> !p.endsWith("-wal") && !p.endsWith("-shm") && !p.contains("/logs/"))
          .filter(p -> !p.endsWith(".db") && !p.endsWith(".db-journal"))
          .sorted()
          .toList();
    }
  }

  @Test
  void refusesSomethingThatIsNotGzip() throws Exception {
    refused("hello".getBytes(StandardCharsets.UTF_8), 400, "gzip");
  }

  @Test
  void refusesGzipThatIsNotTar() throws Exception {
    refused(gzip(new byte[2000]), 400, "tar");
  }

  @Test
  void refusesABundleWithoutManifest() throws Exception {
    refused(tar(file("README", "hi")), 400, "cast.yml");
  }

  @Test
  void refusesAnUnknownManifestField() throws Exception {
    refused(tar(file("cast.yml", GOOD + "colour: blue\n")), 400, "colour");
  }

  @Test
  void refusesABadAppName() throws Exception {
    refused(tar(file("cast.yml", GOOD.replace("name: hello", "name: Hello!"))), 400, "name");
  }

  @Test
  void refusesABadVersion() throws Exception {
    refused(tar(file("cast.yml", GOOD.replace("9.0.0", "9.0.0/evil"))), 400, "version");
  }

  /** Versions no host could ever deploy (their release directory would be "." or hidden). */
  @ParameterizedTest
  @ValueSource(strings = {"'.'", "'..'", ".hidden"})
  void refusesAVersionStartingWithADot(String version) throws Exception {
    JsonNode problem =
        refused(
            tar(file("cast.yml", GOOD.replace("9.0.0", version))),
            400,
            "cast.yml: version: \"" + version.replace("'", "") + "\" is not a valid version",
            "it must not start with '.'");
    assertThat(problem.path("type").asText()).endsWith("INVALID_BUNDLE");
  }

  @Test
  void refusesMoreEntriesThanTheLimit() throws Exception {
    Entry[] entries = new Entry[50_001];
    entries[0] = file("cast.yml", GOOD);
    for (int i = 1; i < entries.length; i++) {
      entries[i] = file("empty/" + i, "");
    }
    refused(tar(entries), 400, "a bundle may have at most 50000 entries");
  }

  @Test
  void refusesAHugeGnuLongNameBeforeBufferingIt() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      TarArchiveEntry header = new TarArchiveEntry("././@LongLink", (byte) 'L', true);
      header.setSize(64L << 20);
      byte[] block = new byte[512];
      header.writeEntryHeader(block);
      out.write(block);
      byte[] name = new byte[1 << 20];
      Arrays.fill(name, (byte) 'a');
      for (int i = 0; i < 64; i++) {
        out.write(name);
      }
      out.write(new byte[1024]);
    }
    refused(bytes.toByteArray(), 400, "GNU long name of 67108864 bytes", "limit of 4096 bytes");
  }

  @Test
  void refusesAServiceWithoutCommand() throws Exception {
    refused(
        tar(file("cast.yml", "name: hello\nversion: 9.0.0\nservices:\n  web:\n    env: {A: b}\n")),
        400,
        "services.web.command");
  }

  @Test
  void refusesAnAbsolutePath() throws Exception {
    refused(tar(file("cast.yml", GOOD), file("/etc/evil", "x")), 400, "/etc/evil");
  }

  @Test
  void refusesAPathWithDotDot() throws Exception {
    refused(tar(file("cast.yml", GOOD), file("../evil", "x")), 400, "../evil");
  }

  @Test
  void refusesASymlinkLeavingTheRelease() throws Exception {
    refused(tar(file("cast.yml", GOOD), link("passwd", "../../etc/passwd", false)), 400, "passwd");
  }

  @Test
  void refusesAHardlinkLeavingTheRelease() throws Exception {
    refused(tar(file("cast.yml", GOOD), link("shadow", "/etc/shadow", true)), 400, "shadow");
  }

  @Test
  void refusesADeviceFile() throws Exception {
    TarArchiveEntry device = new TarArchiveEntry("null", TarArchiveEntry.LF_CHR);
    device.setDevMajor(1);
    device.setDevMinor(3);
    refused(tar(file("cast.yml", GOOD), new Entry(device, new byte[0])), 400, "null");
  }

  @Test
  void refusesABundleOverTheSizeLimit() throws Exception {
    byte[] big = new byte[1_200_000];
    new Random(1).nextBytes(big);
    refused(big, 413, "limit");
  }

  @Test
  void refusesABundleForAnotherApp() throws Exception {
    refused(tar(file("cast.yml", GOOD.replace("name: hello", "name: other"))), 400, "other");
  }

  @Test
  void refusesToDeployAVersionNeverPushed() throws Exception {
    ApiClient.Reply reply =
        CAST.api().postJson("/v1/apps/hello/deployments", Map.of("version", "7.7.7"));
    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.body().path("detail").asText())
        .contains("hello@7.7.7")
        .contains("never pushed");
  }

  @Test
  void refusesToDeployToAnUnknownHost() throws Exception {
    ApiClient.Reply reply =
        CAST.api()
            .postJson(
                "/v1/apps/hello/deployments", Map.of("version", "1.0.0", "hosts", List.of("nope")));
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body().path("detail").asText()).contains("unknown host \"nope\"");
  }

  @Test
  void refusesAnUnknownRequestField() throws Exception {
    ApiClient.Reply reply =
        CAST.api()
            .postJson("/v1/apps/hello/deployments", Map.of("version", "1.0.0", "colour", "blue"));
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body().path("detail").asText()).contains("colour");
  }

  @Test
  void errorsJettyAnswersItselfAreProblemsToo() throws Exception {
    String base = "http://127.0.0.1:" + APP.getLocalPort();
    for (String[] request :
        new String[][] {
          {"/v1/apps/" + "a".repeat(20_000), "414"},
          {"/v1/apps/a%2Fb/releases", "400"},
          {"/v1/apps/%2e%2e/releases", "400"}
        }) {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(base + request[0])).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(request[0]).isEqualTo(Integer.parseInt(request[1]));
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValue("application/problem+json");
      JsonNode problem = new ObjectMapper().readTree(response.body());
      assertThat(problem.path("status").asInt()).isEqualTo(Integer.parseInt(request[1]));
      assertThat(problem.path("detail").asText()).isNotBlank();
    }
  }

  @Test
  void answersUnknownDeploymentsWithProblem404() throws Exception {
    ApiClient.Reply reply = CAST.api().get("/v1/deployments/d-nope");
    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.body().path("type").asText()).endsWith("DEPLOYMENT_NOT_FOUND");
  }

  @Test
  void refusesAgentCallsWithoutTheAgentToken() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + APP.getLocalPort() + "/v1/hosts/intruder"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"address\": \"10.9.9.9\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).contains("agent token");
    assertThat(CAST.api().get("/v1/hosts/intruder").status()).isEqualTo(404);
  }

  @Test
  void aDrainedHostTakesNoNewDeploys() throws Exception {
    assertThat(
            CAST.api()
                .postJson("/v1/hosts/local/drain", Map.of())
                .body()
                .path("drained")
                .asBoolean())
        .isTrue();
    try {
      ApiClient.Reply all =
          CAST.api().postJson("/v1/apps/hello/deployments", Map.of("version", "1.0.0"));
      assertThat(all.status()).isEqualTo(409);
      assertThat(all.body().path("detail").asText()).contains("drained");

      ApiClient.Reply named =
          CAST.api()
              .postJson(
                  "/v1/apps/hello/deployments",
                  Map.of("version", "1.0.0", "hosts", List.of("local")));
      assertThat(named.status()).isEqualTo(409);
      assertThat(named.body().path("detail").asText()).contains("undrain");
    } finally {
      CAST.api().postJson("/v1/hosts/local/undrain", Map.of());
    }
    assertThat(CAST.fetch(servingUrl)).as("draining stops nothing").startsWith("hello from");
  }

  @Test
  void refusesASelectorThatMatchesNoHost() throws Exception {
    ApiClient.Reply reply =
        CAST.api()
            .postJson(
                "/v1/apps/hello/deployments",
                Map.of("version", "1.0.0", "selector", Map.of("role", "db")));
    assertThat(reply.status()).isEqualTo(409);
    assertThat(reply.body().path("detail").asText()).contains("role=db");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"maxUnavailable\": \"lots\"}|strategy.maxUnavailable: \"lots\" is neither",
        "{\"maxUnavailable\": \"150%\"}|strategy.maxUnavailable: \"150%\"",
        "{\"progressDeadline\": \"5s\"}|must be longer than healthyDeadline",
        "{\"progressDeadline\": \"soon\"}|strategy.progressDeadline",
        "{\"healthyDeadline\": \"9s\"}|healthyDeadline is given twice",
        "{\"promote\": \"later\"}|strategy.promote: \"later\"",
        "{\"maxParallel\": 0}|field \"strategy.maxParallel\": 0 is outside 1 to 10000",
        "{\"canary\": 100000}|field \"strategy.canary\": 100000 is outside 0 to 10000",
        "{\"maxUnavailable\": 100000}|strategy.maxUnavailable: 100000 is neither a host count",
        "{\"minHealthyTime\": \"2h\"}|field \"strategy.minHealthyTime\": \"2h\" is outside 0s to 1h",
        "{\"progressDeadline\": \"9223372036854775807s\"}|is outside 0s to 24h",
        "{\"autoRevert\": \"maybe\"}|autoRevert"
      })
  void refusesAStrategyThatMakesNoSense(String strategy, String detail) throws Exception {
    refusedDeploy(
        "{\"version\": \"1.0.0\", \"healthyDeadline\": \"10s\", \"strategy\": " + strategy + "}",
        detail);
  }

  /**
   * Every duration and count of a request has a range, and a value outside it is refused before
   * anything starts: a health deadline of 2^63 s once overflowed inside the workflow and jammed the
   * app until a restart.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"version\": \"1.0.0\", \"healthyDeadline\": \"9223372036854775807s\"}"
            + "|field \"healthyDeadline\": \"9223372036854775807s\" is outside 1s to 1h",
        "{\"version\": \"1.0.0\", \"healthyDeadline\": \"2h\"}|is outside 1s to 1h",
        "{\"version\": \"1.0.0\", \"healthyDeadline\": \"0s\"}|is outside 1s to 1h",
        "{\"version\": \"1.0.0\", \"healthyDeadline\": \"soon\"}|is not a duration",
        "{\"version\": 1}|field \"version\"",
        "{\"version\": \"1.0.0\", \"reason\": 42}|field \"reason\"",
        "{\"version\": \"1.0.0\", \"hosts\": [7]}|field \"hosts",
        "{\"version\": \"1.0.0\", \"selector\": {\"role\": 3}}|field \"selector"
      })
  void refusesAValueOutsideItsRange(String body, String detail) throws Exception {
    refusedDeploy(body, detail);
  }

  @Test
  void refusesAnOverlongReasonOrSelector() throws Exception {
    refusedDeploy(
        "{\"version\": \"1.0.0\", \"reason\": \"" + "x".repeat(1001) + "\"}",
        "field \"reason\": is 1001 characters; at most 1000");
    StringBuilder labels = new StringBuilder();
    for (int i = 0; i < 17; i++) {
      labels.append(i == 0 ? "" : ", ").append("\"k").append(i).append("\": \"v\"");
    }
    refusedDeploy(
        "{\"version\": \"1.0.0\", \"selector\": {" + labels + "}}",
        "field \"selector\": 17 labels; at most 16");
    ApiClient.Reply rollback =
        CAST.api().postJson("/v1/apps/hello/rollback", Map.of("reason", "y".repeat(1001)));
    assertThat(rollback.status()).as(rollback.body().toString()).isEqualTo(400);
    ApiClient.Reply restart =
        CAST.api()
            .postJson("/v1/apps/hello/services/web/restart", Map.of("maxParallel", 1_000_000));
    assertThat(restart.status()).as(restart.body().toString()).isEqualTo(400);
    assertThat(restart.body().path("detail").asText()).contains("outside 1 to 10000");
  }

  private void refusedDeploy(String body, String detail) throws Exception {
    List<String> before = snapshot();
    ApiClient.Reply reply =
        CAST.api().postJson("/v1/apps/hello/deployments", new ObjectMapper().readTree(body));
    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(400);
    assertThat(reply.body().path("detail").asText()).contains(detail);
    assertThat(CAST.api().get("/v1/apps/hello/deployments").body().findValuesAsText("state"))
        .doesNotContain("RUNNING", "PENDING");
    assertThat(snapshot()).as("nothing on disk changed").isEqualTo(before);
  }

  @Test
  void servesOneByteRangeOfABundleAndRefusesOneOutsideIt() throws Exception {
    URI uri =
        URI.create(
            "http://127.0.0.1:" + APP.getLocalPort() + "/v1/apps/hello/releases/1.0.0/bundle");
    byte[] whole =
        http.send(
                HttpRequest.newBuilder(uri).header("Authorization", CAST.authorization()).build(),
                HttpResponse.BodyHandlers.ofByteArray())
            .body();

    HttpResponse<byte[]> part =
        http.send(
            HttpRequest.newBuilder(uri)
                .header("Authorization", CAST.authorization())
                .header("Range", "bytes=100-199")
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(part.statusCode()).isEqualTo(206);
    assertThat(part.headers().firstValue("Content-Range"))
        .hasValue("bytes 100-199/" + whole.length);
    assertThat(part.body()).isEqualTo(Arrays.copyOfRange(whole, 100, 200));

    HttpResponse<byte[]> outside =
        http.send(
            HttpRequest.newBuilder(uri)
                .header("Authorization", CAST.authorization())
                .header("Range", "bytes=" + whole.length + "-")
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(outside.statusCode()).isEqualTo(416);
    assertThat(outside.headers().firstValue("Content-Range")).hasValue("bytes */" + whole.length);
  }

  private record Entry(TarArchiveEntry header, byte[] data) {}

  private static Entry file(String name, String content) {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry entry = new TarArchiveEntry(name, true);
    entry.setSize(bytes.length);
    entry.setMode(0644);
    return new Entry(entry, bytes);
  }

  private static Entry link(String name, String target, boolean hard) {
    TarArchiveEntry entry =
        new TarArchiveEntry(
            name, hard ? TarArchiveEntry.LF_LINK : TarArchiveEntry.LF_SYMLINK, true);
    entry.setLinkName(target);
    return new Entry(entry, new byte[0]);
  }

  private static byte[] tar(Entry... entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Entry e : entries) {
        out.putArchiveEntry(e.header());
        out.write(e.data());
        out.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(data);
    }
    return bytes.toByteArray();
  }
}
