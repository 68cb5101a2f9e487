package dev.cast.workflows.rollout;

import dev.cast.workflows.host.Activation;
import dev.cast.workflows.host.ConfigApply;
import dev.cast.workflows.host.ConfigPlan;
import dev.cast.workflows.host.ConfigRequest;
import dev.cast.workflows.host.ReleaseActivities;
import dev.cast.workflows.shared.HostState;
import dev.cast.workflows.shared.ReleaseRef;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The host steps of a config rollout, in place of a deploy's staging and switch: every host
 * re-renders its app's templates at once, and only hosts whose files changed are switched, by
 * writing the files and acting as their {@code on_change} says. Workflow code only.
 */
final class ConfigSteps {
  private final String deploymentId;
  private final RolloutProgress progress;
  private final HostSteps hosts;
  private final HostStubs stubs;
  private final RolloutPolicy policy;
  private final Function<String, ReleaseRef> releaseOf;
  private final Map<String, ConfigPlan> plans = new HashMap<>();

  ConfigSteps(
      String deploymentId,
      RolloutProgress progress,
      HostSteps hosts,
      HostStubs stubs,
      RolloutPolicy policy,
      Function<String, ReleaseRef> releaseOf) {
    this.deploymentId = deploymentId;
    this.progress = progress;
    this.hosts = hosts;
    this.stubs = stubs;
    this.policy = policy;
    this.releaseOf = releaseOf;
  }

  /** Renders the config on every host at once; a host whose files did not change is done. */
  void renderAll() {
    progress.phase("rendering config");
    List<Promise<Void>> all = new ArrayList<>();
    for (String host : progress.hostNames()) {
      all.add(Async.procedure(this::render, host));
    }
    Promises.awaitAll(all);
  }

  private void render(String host) {
    ReleaseRef release = releaseOf.apply(host);
    progress.mark(host, HostState.STAGING, "rendering the config of " + release.version());
    try {
      ConfigPlan plan =
          hosts.onHost(
              host,
              () ->
                  stubs
                      .lifecycle(host, "RenderConfig")
                      .renderConfig(
                          new ConfigRequest(deploymentId, release.app(), release.version())));
      plans.put(host, plan);
      if (plan.unchanged()) {
        progress.mark(
            host,
            HostState.UNCHANGED,
            plan.note() != null ? plan.note() : "config unchanged at index " + plan.index());
      } else {
        progress.mark(
            host,
            HostState.STAGED,
            String.join(", ", plan.changed())
                + " changed at index "
                + plan.index()
                + "; on change: "
                + plan.action());
      }
    } catch (HostSteps.SkipHost skipped) {
      // Reported in its progress; the rollout goes on without it.
    }
  }

  /** Whether the host's config changed (false for a host not rendered). */
  boolean changed(String host) {
    ConfigPlan plan = plans.get(host);
    return plan != null && !plan.unchanged();
  }

  /** What the host's change calls for: rollout, restart, signal:NAME or none. */
  String action(String host) {
    return plans.get(host).action();
  }

  ConfigApply request(String host) {
    ReleaseRef release = releaseOf.apply(host);
    return new ConfigApply(
        deploymentId,
        release.app(),
        release.version(),
        action(host),
        policy.healthyDeadlineMillis());
  }

  /** Writes the host's new files and acts on them; waits for health when services restart. */
  Activation apply(String host) {
    ConfigApply request = request(host);
    progress.mark(host, HostState.ACTIVATING, "applying config (" + request.action() + ")");
    return hosts.onHost(host, () -> stubs.lifecycle(host, "ApplyConfig").applyConfig(request));
  }

  /** Puts the host's previous files back and waits until its services pass their checks. */
  void revert(String host) {
    ConfigApply request = request(host);
    progress.mark(host, HostState.REVERTING, "putting the previous config back");
    ReleaseActivities lifecycle = stubs.lifecycle(host, "RevertConfig");
    lifecycle.revertConfig(request);
    lifecycle.awaitHealthy(request.health());
    progress.mark(host, HostState.REVERTED, "the previous config is back");
  }
}
