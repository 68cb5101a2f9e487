package dev.cast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cast.testkit.TempDirs;
import dev.cast.workflows.deploy.DeployRequest;
import dev.cast.workflows.rollout.PartRequest;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.temporal.common.interceptors.WorkerInterceptor;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptorBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A deployment whose workflow cannot run its tasks (a failure injected into its workflow code after
 * the host switched) never blocks the api: reads answer from the catalog at once and say why,
 * cancel ends it and puts the switched host back, and the app takes deploys again.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class StuckWorkflowTest {
  private static final CastServerHarness CAST = new CastServerHarness(FaultyServer.class);
  static final DropwizardAppExtension<ServerConfiguration> APP = CAST.app;
  private static final Path EXAMPLE = Path.of("../examples/hello");

  /** The server, with deploys of a version named {@code *-stuck} failing their workflow task. */
  public static final class FaultyServer extends ServerApplication {
    @Override
    protected List<WorkerInterceptor> workflowInterceptors() {
      return List.of(new StuckAfterSwitch());
    }
  }

  /** Throws from workflow code (not an ApplicationFailure) once the host has switched. */
  static final class StuckAfterSwitch extends WorkerInterceptorBase {
    @Override
    public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
      return new WorkflowInboundCallsInterceptorBase(next) {
        private boolean stuck;

        @Override
        public void init(WorkflowOutboundCallsInterceptor outbound) {
          super.init(
              new WorkflowOutboundCallsInterceptorBase(outbound) {
                @Override
                public <R> ActivityOutput<R> executeActivity(ActivityInput<R> input) {
                  if (stuck && input.getActivityName().startsWith("RecordActivation")) {
                    throw new IllegalStateException("injected workflow-task failure");
                  }
                  return super.executeActivity(input);
                }
              });
        }

        @Override
        public WorkflowOutput execute(WorkflowInput input) {
          // The deploy's own workflow, or the part of it (a child workflow) that switches and
          // records hosts.
          stuck =
              input.getArguments().length > 0
                  && (input.getArguments()[0] instanceof DeployRequest request
                          && request.release().version().endsWith("-stuck")
                      || input.getArguments()[0] instanceof PartRequest part
                          && part.release().version().endsWith("-stuck"));
          return super.execute(input);
        }
      };
    }
  }

  @AfterAll
  static void stopServices() throws Exception {
    CAST.killServices();
  }

  @Test
  void aStuckDeploymentIsReadFromTheCatalogAndCancelPutsTheHostBack() throws Exception {
    CAST.deployExample();
    String url = CAST.instanceUrl("hello");
    Path bundles = TempDirs.create("cast-stuck-");
    for (String version : List.of("2.0.0-stuck", "2.0.0")) {
      Path bundle = bundles.resolve(version + ".tar.gz");
      Main.Bundles.pack(EXAMPLE, null, version, bundle);
      assertThat(CAST.api().pushBundle("hello", bundle).status()).isEqualTo(201);
    }

    ApiClient.Reply started =
        CAST.api()
            .postJson(
                "/v1/apps/hello/deployments",
                Map.of("version", "2.0.0-stuck", "healthyDeadline", "30s"));
    assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
    String id = started.body().path("id").asText();
    Path current = CAST.dataDir.resolve("agent/apps/hello/current");
    long end = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    JsonNode view = CAST.api().get("/v1/deployments/" + id).body();
    while (!view.path("liveView").asText().contains("cannot run its tasks")) {
      assertThat(System.nanoTime()).as("the deployment shows it is stuck: " + view).isLessThan(end);
      Thread.sleep(200);
      view = CAST.api().get("/v1/deployments/" + id).body();
    }
    assertThat(Files.readSymbolicLink(current).toString()).endsWith("2.0.0-stuck");

    // Reads answer from the catalog instead of waiting for the workflow (it once took 60 s).
    long readStart = System.nanoTime();
    view = CAST.api().get("/v1/deployments/" + id).body();
    long readMillis = (System.nanoTime() - readStart) / 1_000_000;
    assertThat(readMillis).as("a read of a stuck deployment").isLessThan(10_000);
    assertThat(view.path("state").asText()).isEqualTo("RUNNING");
    assertThat(view.path("liveView").asText()).contains("injected workflow-task failure");
    ApiClient.Reply busy =
        CAST.api().postJson("/v1/apps/hello/deployments", Map.of("version", "2.0.0"));
    assertThat(busy.status()).as(busy.body().toString()).isEqualTo(409);
    assertThat(busy.body().path("detail").asText()).contains(id);

    ApiClient.Reply cancel = CAST.api().postJson("/v1/deployments/" + id + "/cancel", Map.of());
    assertThat(cancel.status()).as(cancel.body().toString()).isEqualTo(202);
    JsonNode cancelled = CAST.api().get("/v1/deployments/" + id).body();
    assertThat(cancelled.path("state").asText()).as(cancelled.toString()).isEqualTo("CANCELLED");
    assertThat(cancelled.path("cause").asText())
        .contains("cancelled while stuck")
        .contains("injected workflow-task failure")
        .contains("put back by d-");
    String revertId = cancelled.path("cause").asText().replaceAll(".*put back by (d-\\w+).*", "$1");
    JsonNode revert = CAST.api().awaitDeployment(revertId, Duration.ofMinutes(2));
    assertThat(revert.path("state").asText()).as(revert.toString()).isEqualTo("SUCCEEDED");
    assertThat(CAST.fetch(url)).startsWith("hello from version 1.0.0");
    assertThat(Files.readSymbolicLink(current).toString()).endsWith("1.0.0");

    // The app is not jammed: the next deploy runs to the end.
    ApiClient.Reply next =
        CAST.api().postJson("/v1/apps/hello/deployments", Map.of("version", "2.0.0"));
    assertThat(next.status()).as(next.body().toString()).isEqualTo(202);
    JsonNode done =
        CAST.api().awaitDeployment(next.body().path("id").asText(), Duration.ofMinutes(2));
    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    assertThat(CAST.fetch(url)).startsWith("hello from version 2.0.0");
  }
}
