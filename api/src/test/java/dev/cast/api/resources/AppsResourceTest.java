package dev.cast.api.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cast.api.config.DeploySettings;
import dev.cast.api.core.AppCatalog;
import dev.cast.api.core.DeploymentLauncher;
import dev.cast.api.core.DeploymentService;
import dev.cast.api.core.DeploymentStatus;
import dev.cast.api.core.Distribution;
import dev.cast.api.core.ReleaseStore;
import dev.cast.api.core.ReleaseUrls;
import dev.cast.api.core.Targets;
import dev.cast.api.db.Database;
import dev.cast.api.db.DeploymentDao;
import dev.cast.api.db.HostDao;
import dev.cast.api.db.InstanceDao;
import dev.cast.api.db.ReleaseDao;
import dev.cast.api.db.ServiceStatusDao;
import dev.cast.api.errors.ProblemMappers;
import dev.cast.bundle.BundlePacker;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.lifecycle.JettyManaged;
import io.dropwizard.lifecycle.setup.LifecycleEnvironment;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import io.temporal.client.WorkflowClient;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link AppsResource} at its own level: Jersey in memory over a real (temporary) catalog and
 * bundle store, no Temporal and no agent. Pushes and reads; deploying is the end-to-end tests'.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class AppsResourceTest {
  private static final String MANIFEST =
      "name: %s\nversion: 0\nservices:\n  web:\n    command: [sleep, '100']\n";
  private static final LifecycleEnvironment LIFECYCLE =
      new LifecycleEnvironment(new MetricRegistry());
  private static final Path DIR = tempDir();
  private static final ResourceExtension RESOURCES = resources();

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("cast-apps-resource-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ResourceExtension resources() {
    try {
      Jdbi jdbi = Database.open(DIR.resolve("catalog.db"), LIFECYCLE);
      ReleaseStore releases =
          new ReleaseStore(
              DIR.resolve("bundles"),
              64L << 20,
              1000,
              2,
              new ReleaseDao(jdbi),
              Jackson.newObjectMapper(),
              0);
      ReleaseUrls urls = new ReleaseUrls();
      Distribution distribution =
          new Distribution(releases, new ReleaseDao(jdbi), urls, DIR.resolve("native"), 0);
      DeploymentDao deploymentDao = new DeploymentDao(jdbi);
      InstanceDao instances = new InstanceDao(jdbi);
      ServiceStatusDao statuses = new ServiceStatusDao(jdbi);
      Supplier<WorkflowClient> noTemporal =
          () -> {
            throw new IllegalStateException("no Temporal at this level");
          };
      DeploymentStatus status = new DeploymentStatus(noTemporal, deploymentDao);
      DeploymentService deployments =
          new DeploymentService(
              noTemporal,
              releases,
              deploymentDao,
              instances,
              new Targets(new HostDao(jdbi), instances, statuses),
              new DeploymentLauncher(noTemporal, deploymentDao, instances, status, urls),
              status,
              new DeploySettings());
      ResourceExtension.Builder builder =
          ResourceExtension.builder()
              .addResource(
                  new AppsResource(
                      releases,
                      new AppCatalog(releases, distribution, instances, statuses),
                      distribution,
                      deployments,
                      instances));
      ProblemMappers.all().forEach(builder::addProvider);
      return builder.build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @AfterAll
  static void close() throws Exception {
    for (var managed : LIFECYCLE.getManagedObjects()) {
      ((JettyManaged) managed).getManaged().stop();
    }
  }

  private static byte[] bundle(String app, String version) throws Exception {
    Path source = Files.createTempDirectory(DIR, "src-");
    Files.writeString(source.resolve("cast.yml"), MANIFEST.formatted(app));
    Path out = source.resolveSibling(source.getFileName() + ".tar.gz");
    BundlePacker.pack(source, out, version);
    return Files.readAllBytes(out);
  }

  private static Response push(String app, byte[] bundle) {
    return RESOURCES
        .target("/v1/apps/" + app + "/releases")
        .request()
        .post(Entity.entity(bundle, "application/gzip"));
  }

  @Test
  void aPushIsStoredPublishedAndListed() throws Exception {
    Response pushed = push("hello", bundle("hello", "1.0.0"));

    assertThat(pushed.getStatus()).isEqualTo(201);
    assertThat(pushed.getLocation().getPath()).isEqualTo("/v1/apps/hello/releases/1.0.0");
    JsonNode release = pushed.readEntity(JsonNode.class);
    assertThat(release.path("services").toString()).isEqualTo("[\"web\"]");
    assertThat(release.path("infoHash").asText()).as("published to the swarm").hasSize(40);
    assertThat(release.path("torrent").asText()).isEqualTo("/v1/apps/hello/releases/1.0.0/torrent");

    JsonNode app = RESOURCES.target("/v1/apps/hello").request().get(JsonNode.class);
    assertThat(app.path("releases").get(0).path("version").asText()).isEqualTo("1.0.0");
    assertThat(push("hello", bundle("hello", "1.0.0")).getStatus())
        .as("the same bytes again")
        .isEqualTo(200);
  }

  @Test
  void badNamesAndUnknownAppsAreProblems() throws Exception {
    Response pushed = push("edge", bundle("edge", "1.0.0"));
    assertThat(pushed.getStatus()).isIn(200, 201);
    Response badVersion = RESOURCES.target("/v1/apps/edge/releases/..hidden").request().get();
    Response unknown = RESOURCES.target("/v1/apps/ghost").request().get();

    assertThat(badVersion.getStatus()).isEqualTo(400);
    assertThat(badVersion.getMediaType().toString()).startsWith("application/problem+json");
    assertThat(badVersion.readEntity(JsonNode.class).path("detail").asText())
        .contains("must not start with '.'");
    assertThat(unknown.getStatus()).isEqualTo(404);
  }

  @Test
  void aDeployWithoutAVersionIsRefusedBeforeAnythingStarts() {
    Response refused =
        RESOURCES
            .target("/v1/apps/hello/deployments")
            .request()
            .post(Entity.entity("{}", MediaType.APPLICATION_JSON_TYPE));

    assertThat(refused.getStatus()).isEqualTo(400);
    assertThat(refused.readEntity(JsonNode.class).path("detail").asText())
        .contains("\"version\" is required");
  }
}
