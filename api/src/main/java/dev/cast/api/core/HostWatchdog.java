package dev.cast.api.core;

import dev.cast.api.db.DeploymentDao;
import dev.cast.api.db.DeploymentRow;
import dev.cast.api.db.HostDao;
import dev.cast.api.db.HostRow;
import dev.cast.workflows.rollout.HostWatch;
import dev.cast.workflows.shared.HostProgress;
import dev.cast.workflows.shared.HostState;
import io.dropwizard.lifecycle.Managed;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a running rollout when one of its hosts has gone silent. An agent that dies or is cut off
 * in the middle of a step never answers, and Temporal retries the step on the host's queue for as
 * long as the agent stays away; the rollout would wait for its progress deadline. Every agent
 * heartbeats the api, so once a target host has not been heard from for {@code silentAfter}, the
 * api signals the deployment's workflow ({@link HostWatch#HOST_UNREACHABLE}), which cancels the
 * host's step and counts it unreachable (going on within {@code maxUnavailable}, else reverting).
 */
public final class HostWatchdog implements Managed {
  private static final Logger log = LoggerFactory.getLogger(HostWatchdog.class);
  private static final Duration SWEEP = Duration.ofSeconds(2);

  private final Supplier<WorkflowClient> client;
  private final DeploymentDao deployments;
  private final HostDao hosts;
  private final Duration silentAfter;
  private final Set<String> signalled = new HashSet<>();
  private ScheduledExecutorService timer;

  public HostWatchdog(
      Supplier<WorkflowClient> client,
      DeploymentDao deployments,
      HostDao hosts,
      Duration silentAfter) {
    this.client = client;
    this.deployments = deployments;
    this.hosts = hosts;
    this.silentAfter = silentAfter;
  }

  @Override
  public void start() {
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "cast-host-watchdog");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(
        this::sweepQuietly, SWEEP.toMillis(), SWEEP.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  private void sweepQuietly() {
    try {
      sweep(System.currentTimeMillis());
    } catch (RuntimeException e) {
      log.warn("host watchdog: {}", e.getMessage());
    }
  }

  /** Signals every running rollout about each of its hosts silent for too long, once. */
  void sweep(long now) {
    Map<String, HostRow> known = new HashMap<>();
    for (HostRow host : hosts.list()) {
      known.put(host.name(), host);
    }
    Set<String> active = new HashSet<>();
    for (DeploymentRow row : deployments.listActive()) {
      if (row.runId() == null
          || !(row.kind().equals("deploy")
              || row.kind().equals("rollback")
              || row.kind().equals("config"))) {
        continue;
      }
      for (HostProgress target : targets(row)) {
        String key = row.id() + "/" + target.host();
        active.add(key);
        HostRow host = known.get(target.host());
        boolean silent = host == null || now - host.lastSeenAt() > silentAfter.toMillis();
        if (silent
            && !HostState.UNREACHABLE.label().equals(target.state())
            && !signalled.contains(key)) {
          signal(row, target.host(), host == null ? null : now - host.lastSeenAt());
          signalled.add(key);
        }
      }
    }
    signalled.retainAll(active);
  }

  private void signal(DeploymentRow row, String host, Long silentMillis) {
    log.warn(
        "deployment {}: host {} has not reported for {}; telling its rollout it is unreachable",
        row.id(),
        host,
        silentMillis == null ? "ever (it was removed)" : silentMillis / 1000 + " s");
    try {
      client
          .get()
          .newUntypedWorkflowStub(row.workflowId(), Optional.of(row.runId()), Optional.empty())
          .signal(HostWatch.HOST_UNREACHABLE, host);
    } catch (RuntimeException e) {
      log.info("deployment {}: could not signal about host {}: {}", row.id(), host, e.getMessage());
    }
  }

  private List<HostProgress> targets(DeploymentRow row) {
    return row.hosts() == null ? List.of() : row.hosts();
  }
}
