package dev.cast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cast.api.auth.AgentOnly;
import dev.cast.api.auth.Public;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every REST call needs a token with the role and the apps it acts on: the first admin token is
 * made at start (0600), tokens are made, limited, revoked, and name who did what; the audit log
 * keeps it. Every endpoint of Jersey's resource model refuses a call without a token (the public
 * ones are listed and say why), and a viewer cannot change anything.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class AuthTest {
  private static final CastServerHarness CAST = new CastServerHarness();
  static final DropwizardAppExtension<ServerConfiguration> APP = CAST.app;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void deploy() throws Exception {
    CAST.deployExample();
  }

  @AfterAll
  static void stop() throws Exception {
    CAST.killServices();
  }

  /** One endpoint of the resource model, with sample values for its path parameters. */
  record Endpoint(String httpMethod, String path, Method method) {
    boolean is(Class<? extends Annotation> annotation) {
      return method.isAnnotationPresent(annotation)
          || method.getDeclaringClass().isAnnotationPresent(annotation);
    }
  }

  private static List<Endpoint> endpoints() {
    List<Endpoint> all = new ArrayList<>();
    for (Class<?> type : APP.getEnvironment().jersey().getResourceConfig().getClasses()) {
      collect(type, all);
    }
    for (Object singleton : APP.getEnvironment().jersey().getResourceConfig().getSingletons()) {
      collect(singleton.getClass(), all);
    }
    return all;
  }

  private static void collect(Class<?> type, List<Endpoint> into) {
    if (!Resource.isAcceptable(type) || type.getAnnotation(Path.class) == null) {
      return;
    }
    Resource resource = Resource.from(type);
    walk(resource, "", into);
  }

  private static void walk(Resource resource, String prefix, List<Endpoint> into) {
    String path = (prefix + "/" + resource.getPath()).replaceAll("/+", "/");
    for (ResourceMethod method : resource.getResourceMethods()) {
      into.add(
          new Endpoint(
              method.getHttpMethod(), sample(path), method.getInvocable().getDefinitionMethod()));
    }
    for (Resource child : resource.getChildResources()) {
      walk(child, path, into);
    }
  }

  /** The path with a sample value in each parameter ({@code {action: a|b}} takes {@code a}). */
  private static String sample(String template) {
    String path = template.replaceAll("\\{action: ?([a-z]+)[^}]*}", "$1");
    return path.replace("{app}", "hello")
        .replace("{version}", "1.0.0")
        .replace("{service}", "web")
        .replace("{name}", "local")
        .replace("{id}", "d-nothere")
        .replace("{action}", "restart")
        .replaceAll("\\{[^}]+}", "x");
  }

  private static int call(Endpoint endpoint, String authorization) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + APP.getLocalPort() + endpoint.path()))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/json")
            .method(
                endpoint.httpMethod(),
                endpoint.httpMethod().equals(HttpMethod.GET)
                        || endpoint.httpMethod().equals(HttpMethod.DELETE)
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString("{}"));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void everyEndpointButThePublicOnesRefusesACallWithoutAToken() throws Exception {
    List<Endpoint> endpoints = endpoints();
    assertThat(endpoints).as("the resource model").hasSizeGreaterThan(25);
    List<String> open = new ArrayList<>();
    List<String> publicOnes = new ArrayList<>();
    for (Endpoint endpoint : endpoints) {
      if (endpoint.is(Public.class)) {
        publicOnes.add(
            endpoint.httpMethod()
                + " "
                + endpoint.path()
                + ": "
                + endpoint.method().getAnnotation(Public.class).value());
        continue;
      }
      int status = call(endpoint, null);
      if (status != 401) {
        open.add(endpoint.httpMethod() + " " + endpoint.path() + " answered " + status);
      }
      int wrong = call(endpoint, "Bearer nope");
      if (wrong != 401) {
        open.add(endpoint.httpMethod() + " " + endpoint.path() + " with a bad token: " + wrong);
      }
    }
    assertThat(open).as("endpoints that took a call without a valid token").isEmpty();
    assertThat(publicOnes)
        .as("the deliberately public endpoints")
        .hasSize(4)
        .allMatch(
            p ->
                p.contains("/announce")
                    || p.contains("/scrape")
                    || p.startsWith("GET /v1/openapi."));
  }

  @Test
  void aViewerReadsButChangesNothing() throws Exception {
    String viewer = "Bearer " + token("watcher", "viewer", null);
    List<String> allowed = new ArrayList<>();
    for (Endpoint endpoint : endpoints()) {
      if (endpoint.is(Public.class) || endpoint.is(AgentOnly.class)) {
        continue;
      }
      int status = call(endpoint, viewer);
      boolean read = endpoint.httpMethod().equals(HttpMethod.GET);
      boolean secret =
          endpoint.path().startsWith("/v1/tokens")
              || endpoint.path().startsWith("/v1/audit")
              || endpoint.path().endsWith("/logs")
              || endpoint.path().endsWith("/bundle")
              || endpoint.path().endsWith("/torrent");
      // A transaction of reads is a read (Consul's get and check verbs); its writes are refused
      // operation by operation, below.
      boolean txn = endpoint.path().equals("/v1/txn");
      if ((!read || secret) && status != 403 && !(txn && status == 400)) {
        allowed.add(endpoint.httpMethod() + " " + endpoint.path() + " answered " + status);
      }
      if (read && !secret && (status == 401 || status == 403)) {
        allowed.add("viewer could not read " + endpoint.path() + ": " + status);
      }
    }
    assertThat(allowed).isEmpty();
    HttpResponse<String> txnWrite =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(base() + "/v1/txn"))
                    .header("Authorization", viewer)
                    .PUT(
                        HttpRequest.BodyPublishers.ofString(
                            "[{\"KV\": {\"Verb\": \"set\", \"Key\": \"k\", \"Value\": \"dg==\"}}]"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(txnWrite.statusCode()).as(txnWrite.body()).isEqualTo(403);
    JsonNode refused =
        new ApiClient(base(), viewerSecret())
            .postJson("/v1/apps/hello/deployments", Map.of("version", "1.0.0"))
            .body();
    assertThat(refused.path("detail").asText())
        .isEqualTo("deployer role required for app hello; token \"watcher2\" is a viewer");
    // The info-hash and the magnet (whose web seed URL is signed) would fetch the bundle.
    JsonNode release =
        new ApiClient(base(), viewerSecret()).get("/v1/apps/hello/releases/1.0.0").body();
    assertThat(release.path("infoHash").isNull()).as(release.toString()).isTrue();
    assertThat(release.path("magnet").isNull()).as(release.toString()).isTrue();
    JsonNode deployerView = CAST.api().get("/v1/apps/hello/releases/1.0.0").body();
    assertThat(deployerView.path("magnet").asText()).contains("cap%3D");
  }

  private String viewerSecret() throws Exception {
    return token("watcher2", "viewer", null);
  }

  @Test
  void tokensAreLimitedToTheirAppsNameWhoDidWhatAndRevokingIsImmediate() throws Exception {
    String shop = token("shop-ci", "deployer", List.of("shop-*"));
    ApiClient shopCi = new ApiClient(base(), shop);
    ApiClient.Reply refused =
        shopCi.postJson("/v1/apps/hello/deployments", Map.of("version", "1.0.0"));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.body().path("detail").asText())
        .contains("limited to apps [shop-*]")
        .contains("cannot reach app hello");

    String secret = token("ci", "deployer", List.of("hello"));
    ApiClient ci = new ApiClient(base(), secret);
    ApiClient.Reply started = ci.postJson("/v1/apps/hello/deployments", Map.of("version", "1.0.0"));
    assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
    assertThat(started.body().path("requestedBy").asText()).isEqualTo("ci");
    JsonNode done = ci.awaitDeployment(started.body().path("id").asText(), Duration.ofMinutes(2));
    assertThat(done.path("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(ci.get("/v1/deployments/" + done.path("id").asText()).status())
        .as("a deployment of an app the token reaches")
        .isEqualTo(200);
    assertThat(shopCi.get("/v1/deployments/" + done.path("id").asText()).status())
        .as("a deployment of an app the token does not reach")
        .isEqualTo(403);

    JsonNode audit = CAST.api().get("/v1/audit?actor=ci").body();
    assertThat(audit.size()).isEqualTo(1);
    assertThat(audit.get(0).path("action").asText()).isEqualTo("POST /v1/apps/{app}/deployments");
    assertThat(audit.get(0).path("app").asText()).isEqualTo("hello");
    assertThat(audit.get(0).path("status").asInt()).isEqualTo(202);
    assertThat(audit.get(0).path("params").path("body").path("version").asText())
        .isEqualTo("1.0.0");
    assertThat(audit.get(0).path("source").asText()).isEqualTo("127.0.0.1");
    assertThat(CAST.api().get("/v1/audit?actor=shop-ci").body().get(0).path("status").asInt())
        .as("refusals are audited too")
        .isEqualTo(403);
    assertThat(ci.get("/v1/audit").status()).as("the audit log is for admins").isEqualTo(403);

    String id = idOf("ci");
    assertThat(CAST.api().get("/v1/tokens").body().toString()).doesNotContain(secret);
    assertThat(CAST.api().delete("/v1/tokens/" + id).status()).isEqualTo(204);
    ApiClient.Reply revoked = ci.get("/v1/apps/hello");
    assertThat(revoked.status()).isEqualTo(401);
    assertThat(revoked.body().path("detail").asText()).contains("unknown, revoked or expired");
  }

  @Test
  void theFirstAdminTokenIsReadableByItsOwnerOnly() throws Exception {
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(CAST.dataDir.resolve("admin-token"))))
        .isEqualTo("rw-------");
    ApiClient.Reply anonymous = CAST.anonymous().get("/v1/apps");
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.body().path("detail").asText()).contains("admin-token");
    assertThat(
            CAST.api()
                .postJson("/v1/tokens", Map.of("name", "x", "role", "root"))
                .body()
                .path("detail")
                .asText())
        .contains("use viewer, deployer or admin");
  }

  @Test
  void eachHostReportsWithItsOwnTokenAndRemovingItRevokesIt() throws Exception {
    String join = "Bearer " + APP.<ServerApplication>getApplication().runtime().agentToken();
    HttpResponse<String> joined =
        agentCall("/v1/hosts/ident-a", join, "{\"address\": \"127.0.0.9\"}");
    assertThat(joined.statusCode()).as(joined.body()).isEqualTo(200);
    String own = "Bearer " + joined.headers().firstValue("Cast-Host-Token").orElseThrow();
    try {
      assertThat(agentCall("/v1/hosts/ident-a", join, "{\"address\": \"127.0.0.9\"}").statusCode())
          .as("the join token does not register a host that has its own token")
          .isEqualTo(409);
      assertThat(agentCall("/v1/hosts/ident-a/services", join, "[]").statusCode())
          .as("the join token only registers")
          .isEqualTo(401);
      assertThat(agentCall("/v1/hosts/ident-a/services", own, "[]").statusCode()).isEqualTo(204);
      assertThat(agentCall("/v1/hosts/local/services", own, "[]").statusCode())
          .as("a host's token reports for that host only")
          .isEqualTo(401);
      assertThat(agentCall("/v1/hosts/ident-a", own, "{\"address\": \"127.0.0.9\"}").statusCode())
          .isEqualTo(200);
    } finally {
      assertThat(CAST.api().delete("/v1/hosts/ident-a").status()).isEqualTo(204);
    }
    assertThat(agentCall("/v1/hosts/ident-a/services", own, "[]").statusCode())
        .as("removing the host revoked its token")
        .isEqualTo(401);
    HttpResponse<String> again =
        agentCall("/v1/hosts/ident-a", join, "{\"address\": \"127.0.0.9\"}");
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.headers().firstValue("Cast-Host-Token")).isPresent();
    assertThat(CAST.api().delete("/v1/hosts/ident-a").status()).isEqualTo(204);
    assertThat(
            Files.exists(CAST.dataDir.resolve("agent/host-token"))
                && PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(CAST.dataDir.resolve("agent/host-token")))
                    .equals("rw-------"))
        .as("the embedded agent keeps its host's token, readable by its owner only")
        .isTrue();
  }

  private static HttpResponse<String> agentCall(String path, String authorization, String body)
      throws Exception {
    // A connection of its own each: a refusal answered before the api read the body may close the
    // connection after it, and a pooled client can send the next call on it before it sees the
    // close ("header parser received no bytes", seen once on a loaded CI machine).
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(base() + path))
                .header("Content-Type", "application/json")
                .header("Authorization", authorization)
                .PUT(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static String idOf(String name) throws Exception {
    for (JsonNode token : CAST.api().get("/v1/tokens").body()) {
      if (token.path("name").asText().equals(name)) {
        return token.path("id").asText();
      }
    }
    throw new AssertionError("no token " + name);
  }

  private static String token(String name, String role, List<String> apps) throws Exception {
    Map<String, Object> body = new HashMap<>(Map.of("name", name, "role", role));
    if (apps != null) {
      body.put("apps", apps);
    }
    ApiClient.Reply made = CAST.api().postJson("/v1/tokens", body);
    assertThat(made.status()).as(made.body().toString()).isEqualTo(201);
    return made.body().path("secret").asText();
  }

  private static String base() {
    return "http://127.0.0.1:" + APP.getLocalPort();
  }
}
