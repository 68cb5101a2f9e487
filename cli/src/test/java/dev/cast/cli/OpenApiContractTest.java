package dev.cast.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cast.testkit.TempDirs;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The api's OpenAPI contract ({@code GET /v1/openapi.json}): it describes every resource method
 * Jersey serves, the README's API table lists exactly its operations, and schemathesis, fuzzing a
 * real server from it with every check, finds nothing.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class OpenApiContractTest {
  private static final CastServerHarness CAST = new CastServerHarness();
  static final DropwizardAppExtension<ServerConfiguration> APP = CAST.app;

  /** The schemathesis .ci/run installs; the run below is checked with it. */
  private static final String SCHEMATHESIS = "4.32.5";

  private static final Pattern TEMPLATE_REGEX = Pattern.compile("\\{\\s*(\\w[\\w.-]*)\\s*:[^}]*}");
  private static final Pattern README_ROW =
      Pattern.compile("^\\| `(GET|PUT|POST|DELETE|HEAD|PATCH)` \\| `([^`]+)` \\|");

  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  @AfterAll
  static void stopServices() throws Exception {
    CAST.killServices();
  }

  @Test
  void theContractIsOpenApi31AndServedWithoutAToken() throws Exception {
    HttpResponse<String> yaml = fetch("/v1/openapi.yaml");
    assertThat(yaml.statusCode()).isEqualTo(200);
    assertThat(yaml.body()).startsWith("openapi: 3.1.0");
    JsonNode contract = contract();
    assertThat(contract.path("openapi").asText()).isEqualTo("3.1.0");
    assertThat(contract.at("/components/schemas/Problem/properties").has("detail")).isTrue();
    assertThat(contract.at("/components/securitySchemes/bearer/scheme").asText())
        .isEqualTo("bearer");
  }

  @Test
  void theContractDescribesEveryResourceMethodJerseyServes() throws Exception {
    Set<String> served = new TreeSet<>();
    var jersey = APP.getEnvironment().jersey().getResourceConfig();
    Set<Class<?>> resources = new HashSet<>(jersey.getClasses());
    jersey.getInstances().forEach(i -> resources.add(i.getClass()));
    for (Class<?> resource : resources) {
      if (!resource.isAnnotationPresent(Path.class)) {
        continue;
      }
      for (Method method : resource.getMethods()) {
        String verb = httpMethod(method);
        if (verb != null) {
          served.add(verb + " " + path(resource, method));
        }
      }
    }
    assertThat(served).hasSizeGreaterThan(40);
    assertThat(operations(contract())).isEqualTo(served);
  }

  @Test
  void theReadmeTableListsEveryOperationOfTheContractAndNothingElse() throws Exception {
    Set<String> listed = new TreeSet<>();
    boolean inTable = false;
    for (String line : Files.readAllLines(java.nio.file.Path.of("../README.md"))) {
      if (line.startsWith("## ")) {
        inTable = line.startsWith("## REST API");
      }
      Matcher row = README_ROW.matcher(line);
      if (inTable && row.find()) {
        listed.add(row.group(1) + " " + row.group(2));
      }
    }
    assertThat(listed).isEqualTo(operations(contract()));
  }

  /**
   * Every operation, every check (schemathesis.toml selects them all, and names the few exclusions
   * and why), with the admin token, a bounded number of cases per operation and a fixed seed.
   */
  @Test
  void schemathesisFindsNothingOverEveryOperation() throws Exception {
    assumeTrue(
        schemathesisVersion().contains(SCHEMATHESIS),
        "schemathesis "
            + SCHEMATHESIS
            + " is needed (pip install schemathesis=="
            + SCHEMATHESIS
            + ")");
    // Something to find: the examples name the app hello, whose 1.0.0 is pushed (not deployed:
    // a running service's followed log would hold a request open for as long as it is asked).
    CAST.awaitHost();
    java.nio.file.Path bundle = TempDirs.create("cast-contract-").resolve("hello-1.0.0.tar.gz");
    Main.Bundles.pack(java.nio.file.Path.of("../examples/hello"), null, "1.0.0", bundle);
    assertThat(CAST.api().pushBundle("hello", bundle).status()).isEqualTo(201);
    String revocable =
        CAST.api()
            .postJson("/v1/tokens", Map.of("name", "fuzzed", "role", "viewer"))
            .body()
            .path("id")
            .asText();
    List<String> command =
        List.of(
            "st",
            "--no-color",
            "--config-file",
            ResourceHelpers.resourceFilePath("schemathesis.toml"),
            "run",
            CAST.baseUrl() + "/v1/openapi.json",
            "--header",
            "Authorization: " + CAST.authorization(),
            "--max-examples",
            "15",
            "--seed",
            "20261202",
            // One worker: Python 3.11's parser is not thread-safe, and hypothesis parses
            // lambdas' source while it builds strategies ("AST constructor recursion depth").
            "--workers",
            "1",
            "--request-timeout",
            "20");
    java.nio.file.Path output = Files.createTempFile("schemathesis-", ".txt");
    // In target/: schemathesis and hypothesis keep their caches in the working directory.
    ProcessBuilder st =
        new ProcessBuilder(command)
            .directory(new java.io.File("target"))
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    st.environment().put("CAST_REVOCABLE_TOKEN", revocable);
    Process run = st.start();
    boolean ended = run.waitFor(8, TimeUnit.MINUTES);
    if (!ended) {
      run.destroyForcibly();
    }
    String report = Files.readString(output, StandardCharsets.UTF_8);
    System.out.println(report);
    assertThat(ended).as("schemathesis ended within 8 minutes").isTrue();
    assertThat(run.exitValue()).as("schemathesis found problems:\n" + report).isZero();
  }

  private static String schemathesisVersion() {
    try {
      Process version = new ProcessBuilder("st", "--version").redirectErrorStream(true).start();
      String out = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return version.waitFor(60, TimeUnit.SECONDS) && version.exitValue() == 0 ? out : "";
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private JsonNode contract() throws Exception {
    HttpResponse<String> reply = fetch("/v1/openapi.json");
    assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
    return json.readTree(reply.body());
  }

  /** A GET without a token. */
  private HttpResponse<String> fetch(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(CAST.baseUrl() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Every operation of the contract, as {@code VERB /path}. */
  private static Set<String> operations(JsonNode contract) {
    Set<String> operations = new TreeSet<>();
    contract
        .path("paths")
        .fields()
        .forEachRemaining(
            path ->
                path.getValue()
                    .fieldNames()
                    .forEachRemaining(
                        verb ->
                            operations.add(verb.toUpperCase(Locale.ROOT) + " " + path.getKey())));
    return operations;
  }

  private static String httpMethod(Method method) {
    for (Annotation a : method.getAnnotations()) {
      HttpMethod http = a.annotationType().getAnnotation(HttpMethod.class);
      if (http != null) {
        return http.value();
      }
    }
    return null;
  }

  /** The path Jersey matches, its templates without their regular expressions. */
  private static String path(Class<?> resource, Method method) {
    List<String> parts = new ArrayList<>();
    parts.add(resource.getAnnotation(Path.class).value());
    Path inner = method.getAnnotation(Path.class);
    if (inner != null) {
      parts.add(inner.value());
    }
    String path =
        TEMPLATE_REGEX
            .matcher("/" + String.join("/", parts))
            .replaceAll("{$1}")
            .replaceAll("/+", "/");
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
