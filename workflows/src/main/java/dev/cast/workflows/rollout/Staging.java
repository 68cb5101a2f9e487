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
  // Set in a part of a rollout: each host's place among all the hosts staging its release.
  private Shares shares;

  /**
   * Each host's place among the hosts of the whole rollout that stage its release together: a part
   * stages some of them, with the places the rollout gave them.
   *
   * @param share each host's place, from 0
   * @param of per version, how many hosts stage it together
   */
  record Shares(Map<String, Integer> share, Map<String, Integer> of) {}

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
      all.add(Async.procedure(this::stage, host, request(host, byVersion)));
    }
    Promises.awaitAll(all);
  }

  private StageRequest request(String host, Map<String, List<String>> byVersion) {
    StageRequest alone = releaseOf.apply(host).stageRequest();
    if (shares != null) {
      return alone.asShare(shares.share().get(host), shares.of().get(version(host)));
    }
    List<String> together = byVersion.get(version(host));
    return alone.asShare(together.indexOf(host), together.size());
  }

  /** A part of a rollout stages its hosts with the places the rollout gave them. */
  void shares(Shares given) {
    shares = given;
  }

  /**
   * What a part of a rollout that switches hosts knows from staging: the release each host ran
   * before (a host without one is absent).
   */
  void known(List<String> hostNames, Map<String, String> previous) {
    for (String host : hostNames) {
      staged.put(host, new StagedRelease(version(host), previous.get(host), false));
    }
  }

  /** The hosts staged so far, each with the release it ran before (absent: none). */
  Map<String, String> previousOfStaged() {
    Map<String, String> previous = new HashMap<>();
    staged.forEach(
        (host, result) -> {
          if (result.currentVersion() != null) {
            previous.put(host, result.currentVersion());
          }
        });
    return previous;
  }

  /** The hosts staged so far, in rollout order. */
  List<String> stagedHosts() {
    return progress.hostNames().stream().filter(staged::containsKey).toList();
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
