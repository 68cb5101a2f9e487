package dev.cast.workflows.rollout;

import dev.cast.workflows.shared.ReleaseRef;
import java.util.List;
import java.util.Map;

/** Builds the {@link PartRequest}s of a {@link PartedRollout}. */
final class PartRequests {
  private PartRequests() {}

  static final class Builder {
    private final PartKind kind;
    private final String deploymentId;
    private final ReleaseRef release;
    private final Map<String, ReleaseRef> perHost;
    private final List<String> hosts;
    private final RolloutPolicy policy;
    private final int totalHosts;
    private final List<String> unreachable;
    private final List<String> lost;
    private Map<String, String> previous = Map.of();
    private Map<String, Integer> share;
    private Map<String, Integer> shares;
    private List<List<String>> batches = List.of();
    private int firstBatch;
    private int batchCount;
    private String label;
    private boolean canaryFirst;
    private boolean runPostActivate;
    private long minHealthyMillis;
    private boolean paused;
    private List<String> switched = List.of();
    private int keepReleases;

    Builder(
        PartKind kind,
        String deploymentId,
        ReleaseRef release,
        Map<String, ReleaseRef> perHost,
        List<String> hosts,
        RolloutPolicy policy,
        int totalHosts,
        List<String> unreachable,
        List<String> lost) {
      this.kind = kind;
      this.deploymentId = deploymentId;
      this.release = release;
      this.perHost = perHost;
      this.hosts = hosts;
      this.policy = policy;
      this.totalHosts = totalHosts;
      this.unreachable = unreachable;
      this.lost = lost;
    }

    Builder previous(Map<String, String> before) {
      previous = before;
      return this;
    }

    Builder shares(Map<String, Integer> place, Map<String, Integer> perVersion) {
      share = place;
      shares = perVersion;
      return this;
    }

    Builder batches(List<List<String>> these, int first, PartedRollout.Batches how) {
      batches = these;
      firstBatch = first;
      batchCount = how.batchCount();
      label = how.label();
      canaryFirst = how.canaryFirst();
      runPostActivate = how.runPostActivate();
      minHealthyMillis = how.minHealthyMillis();
      return this;
    }

    Builder paused(boolean now) {
      paused = now;
      return this;
    }

    Builder switched(List<String> done) {
      switched = done;
      return this;
    }

    Builder prune(int keep, int batches) {
      keepReleases = keep;
      batchCount = batches;
      return this;
    }

    PartRequest build() {
      return new PartRequest(
          kind,
          deploymentId,
          release,
          perHost,
          hosts,
          policy,
          totalHosts,
          unreachable,
          lost,
          previous,
          share,
          shares,
          batches,
          firstBatch,
          batchCount,
          label,
          canaryFirst,
          runPostActivate,
          minHealthyMillis,
          paused,
          switched,
          keepReleases);
    }
  }
}
