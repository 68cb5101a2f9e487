package dev.cast.api.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import dev.cast.api.db.Database;
import dev.cast.api.db.DeploymentDao;
import dev.cast.api.db.DeploymentRow;
import dev.cast.api.db.InstanceDao;
import io.dropwizard.lifecycle.JettyManaged;
import io.dropwizard.lifecycle.setup.LifecycleEnvironment;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starting deployments is serialized per app, not across apps: while one app's start waits (on
 * Temporal, say), another app starts at once, and a second start of the same app waits its turn.
 */
class DeploymentLauncherTest {
  @TempDir Path dir;
  private final LifecycleEnvironment lifecycle = new LifecycleEnvironment(new MetricRegistry());
  private TestWorkflowEnvironment temporal;
  private DeploymentLauncher launcher;

  @BeforeEach
  void open() throws Exception {
    Jdbi jdbi = Database.open(dir.resolve("catalog.db"), lifecycle);
    temporal = TestWorkflowEnvironment.newInstance();
    DeploymentDao deployments = new DeploymentDao(jdbi);
    launcher =
        new DeploymentLauncher(
            temporal::getWorkflowClient,
            deployments,
            new InstanceDao(jdbi),
            new DeploymentStatus(temporal::getWorkflowClient, deployments),
            new ReleaseUrls());
  }

  @AfterEach
  void close() throws Exception {
    temporal.close();
    for (var managed : lifecycle.getManagedObjects()) {
      ((JettyManaged) managed).getManaged().stop();
    }
  }

  private CompletableFuture<DeploymentRow> start(
      String app, Function<String, WorkflowExecution> starter) {
    return CompletableFuture.supplyAsync(
        () ->
            launcher.start(
                new DeploymentLauncher.About(
                    "deploy", null, app, "1.0.0", List.of("h-1"), null, null, "test"),
                null,
                launch -> starter.apply(launch.id())));
  }

  /** A starter that waits for {@code release} and reports when it was entered. */
  private static Function<String, WorkflowExecution> held(
      CountDownLatch entered, CountDownLatch release) {
    return id -> {
      entered.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return execution(id);
    };
  }

  private static WorkflowExecution execution(String id) {
    return WorkflowExecution.newBuilder().setWorkflowId("wf-" + id).setRunId("run-" + id).build();
  }

  @Test
  void anotherAppStartsWhileOneAppsStartWaits() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<DeploymentRow> slow = start("shop", held(entered, release));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

    DeploymentRow other =
        start("hello", DeploymentLauncherTest::execution).get(10, TimeUnit.SECONDS);

    assertThat(other.app()).isEqualTo("hello");
    assertThat(other.runId()).isEqualTo("run-" + other.id());
    assertThat(slow).isNotDone();
    release.countDown();
    assertThat(slow.get(10, TimeUnit.SECONDS).app()).isEqualTo("shop");
  }

  @Test
  void aSecondStartOfTheSameAppWaitsForTheFirst() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<DeploymentRow> first = start("shop", held(entered, release));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    CountDownLatch secondEntered = new CountDownLatch(1);

    CompletableFuture<DeploymentRow> second =
        start(
            "shop",
            id -> {
              secondEntered.countDown();
              return execution(id);
            });

    assertThat(secondEntered.await(500, TimeUnit.MILLISECONDS))
        .as("the second start must not pass the busy check while the first is starting")
        .isFalse();
    release.countDown();
    first.get(10, TimeUnit.SECONDS);
    // The first's workflow does not exist in this Temporal, so it is found INTERRUPTED, and the
    // second may start.
    assertThat(second.get(30, TimeUnit.SECONDS).app()).isEqualTo("shop");
  }
}
