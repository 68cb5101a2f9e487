package dev.cast.workflows.shared;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A deployment as it stands: the answer of the {@code progress} query and the final result.
 *
 * @param phase what the rollout is doing now, for people: staging, canary, awaiting promote,
 *     paused, rolling out, reverting, done
 * @param batch the batch in progress or last done, from 1; null before the first
 * @param batches how many batches the rollout has; null when it has none (yet)
 * @param parts the workflow ids of the parts of the rollout running now (child workflows, each
 *     answering this query for its own hosts), whose answers are more recent than this one's for
 *     their hosts: see {@link #merge}; null or empty when none runs
 */
public record DeploymentProgress(
    String deploymentId,
    DeploymentState state,
    String cause,
    List<HostProgress> hosts,
    String phase,
    Integer batch,
    Integer batches,
    List<String> parts) {

  public DeploymentProgress(
      String deploymentId, DeploymentState state, String cause, List<HostProgress> hosts) {
    this(deploymentId, state, cause, hosts, null, null, null);
  }

  public DeploymentProgress(
      String deploymentId,
      DeploymentState state,
      String cause,
      List<HostProgress> hosts,
      String phase,
      Integer batch,
      Integer batches) {
    this(deploymentId, state, cause, hosts, phase, batch, batches, null);
  }

  /**
   * This answer with the answers of its running {@link #parts} laid over it: each part's hosts as
   * the part sees them, and the phase and batch of the first part that has one. A rollout learns
   * where its parts' hosts stand only when each part ends (reporting every host's every step would
   * put them all back in its own history), so its live view is this merge. Answers of parts that
   * did not answer are left out, and so are hosts a part has not reached yet (still pending in it):
   * their hosts show what the rollout knew last.
   */
  public DeploymentProgress merge(List<DeploymentProgress> partAnswers) {
    Map<String, HostProgress> byHost = new LinkedHashMap<>();
    hosts.forEach(h -> byHost.put(h.host(), h));
    String nowPhase = phase;
    Integer nowBatch = batch;
    Integer nowBatches = batches;
    boolean phaseTaken = false;
    for (DeploymentProgress part : partAnswers) {
      if (part == null || part.hosts() == null) {
        continue;
      }
      for (HostProgress host : part.hosts()) {
        if (!host.untouched()) {
          byHost.replace(host.host(), host);
        }
      }
      if (!phaseTaken && part.phase() != null && part.batch() != null) {
        nowPhase = part.phase();
        nowBatch = part.batch();
        nowBatches = part.batches();
        phaseTaken = true;
      } else if (!phaseTaken && part.phase() != null && !"starting".equals(part.phase())) {
        nowPhase = part.phase();
        phaseTaken = true;
      }
    }
    return new DeploymentProgress(
        deploymentId, state, cause, List.copyOf(byHost.values()), nowPhase, nowBatch, nowBatches);
  }
}
