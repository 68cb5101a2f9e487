package dev.cast.workflows.rollout;

import dev.cast.workflows.shared.ReleaseRef;
import java.util.List;
import java.util.Map;

/**
 * One part of a rollout, run as a child workflow so that no history grows with the number of hosts
 * (see {@link PartWorkflow}).
 *
 * @param deploymentId the rollout's deployment
 * @param release the release most hosts go to
 * @param perHost the release of each of this part's hosts that goes to another one
 * @param hosts this part's hosts, in rollout order
 * @param policy the rollout's policy
 * @param totalHosts the hosts of the whole rollout
 * @param unreachable hosts of the rollout found unreachable before this part started
 * @param lost hosts of the rollout the api reported silent before this part started
 * @param previous STAGE: unused; SWITCH, REVERT: the release each host ran before (absent: none)
 * @param share STAGE: each host's place among the rollout's hosts staging its release
 * @param shares STAGE: per version, how many hosts of the rollout stage it
 * @param batches SWITCH: this part's batches, in order
 * @param firstBatch SWITCH: the number of its first batch in the rollout, from 1
 * @param batchCount SWITCH: how many batches the rollout has
 * @param label SWITCH: what a batch is called in the phase ("rolling out", "rolling back")
 * @param canaryFirst SWITCH: batch 1 of the rollout is the canary
 * @param runPostActivate SWITCH: run {@code post_activate}
 * @param minHealthyMillis SWITCH: how long each batch must stay healthy after its switch
 * @param paused SWITCH: the rollout is paused as the part starts
 * @param switched REVERT: hosts whose switch completed, recorded in the catalog, to restore there
 * @param keepReleases PRUNE: releases kept per host
 */
public record PartRequest(
    PartKind kind,
    String deploymentId,
    ReleaseRef release,
    Map<String, ReleaseRef> perHost,
    List<String> hosts,
    RolloutPolicy policy,
    int totalHosts,
    List<String> unreachable,
    List<String> lost,
    Map<String, String> previous,
    Map<String, Integer> share,
    Map<String, Integer> shares,
    List<List<String>> batches,
    int firstBatch,
    int batchCount,
    String label,
    boolean canaryFirst,
    boolean runPostActivate,
    long minHealthyMillis,
    boolean paused,
    List<String> switched,
    int keepReleases) {}
