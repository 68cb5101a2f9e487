package dev.cast.workflows.rollout;

import dev.cast.workflows.host.StageRequest;
import dev.cast.workflows.host.StagedRelease;
import dev.cast.workflows.shared.HostState;
import dev.cast.workflows.shared.ReleaseRef;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The staging step of a rollout: every host fetches and unpacks its release at once, and each
 * remembers the release it ran before, which is what a switch on it undoes to.
 */
final class Staging {
  private final RolloutProgress progress;
  private final HostSteps hosts;
  private final HostStubs stubs;
  private final Function<String, ReleaseRef> releaseOf;
  private final Map<String, StagedRelease> staged = new HashMap<>();

  /**
   * @param releaseOf the release each host goes to
   */
  Staging(
      RolloutProgress progress,
      HostSteps hosts,
      HostStubs stubs,
      Function<String, ReleaseRef> releaseOf) {
    this.progress = progress;
    this.hosts = hosts;
    this.stubs = stubs;
    this.releaseOf = releaseOf;
  }

  /** Stages the release on every host at once. */
  void stageAll() {
    progress.phase("staging");
    List<Promise<Void>> all = new ArrayList<>();
    List<String> staging = progress.hostNames();
    // Hosts that stage the same release share its pieces among them.
    Map<String, List<String>> byVersion = new LinkedHashMap<>();
    for (String host : staging) {
      byVersion.computeIfAbsent(version(host), v -> new ArrayList<>()).add(host);
    }
    for (String host : staging) {
      List<String> together = byVersion.get(version(host));
      all.add(
          Async.procedure(
              this::stage,
              host,
              releaseOf
                  .apply(host)
                  .stageRequest()
                  .asShare(together.indexOf(host), together.size())));
    }
    Promises.awaitAll(all);
  }

  private void stage(String host, StageRequest request) {
    progress.mark(host, HostState.STAGING, "fetching " + version(host));
    try {
      StagedRelease result = hosts.onHost(host, () -> stubs.fetch(host).stageRelease(request));
      staged.put(host, result);
      progress.mark(
          host,
          HostState.STAGED,
          result.fetched() ? "fetched and unpacked" : "already on the host");
    } catch (HostSteps.SkipHost skipped) {
      // Reported in its progress; the rollout goes on without it.
    }
  }

  /** The release the host ran when it was staged, or null when it ran none. */
  String previousOf(String host) {
    return staged.get(host).currentVersion();
  }

  private String version(String host) {
    return releaseOf.apply(host).version();
  }
}
