package dev.cast.workflows.rollout;

import dev.cast.workflows.shared.DeploymentProgress;
import dev.cast.workflows.shared.DeploymentState;
import dev.cast.workflows.shared.HostProgress;
import dev.cast.workflows.shared.HostState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The bookkeeping of a workflow that acts on hosts one batch at a time: each host's state and last
 * message, the overall state, its cause, and the phase people see. It answers the {@code progress}
 * query and is what the catalog records. Plain workflow state: it issues no commands.
 */
public final class RolloutProgress {
  private final String deploymentId;
  // In rollout order: the order the hosts were given in.
  private final Map<String, HostProgress> hosts = new LinkedHashMap<>();
  private DeploymentState state = DeploymentState.RUNNING;
  private String cause;
  private String phase;
  private Integer batch;
  private Integer batches;
  private Consumer<HostState> listener = state -> {};
  private Consumer<String> phaseListener = now -> {};

  /** Every host starts pending; the phase is unset until {@link #phase} is called. */
  public RolloutProgress(String deploymentId, List<String> hostNames) {
    this.deploymentId = deploymentId;
    for (String host : hostNames) {
      hosts.put(host, HostProgress.of(host, HostState.PENDING, "waiting"));
    }
  }

  public void mark(String host, HostState hostState, String message) {
    hosts.put(host, HostProgress.of(host, hostState, message));
    listener.accept(hostState);
  }

  /** Tells {@code listener} each state a host is marked with (the progress deadline's clock). */
  void onMark(Consumer<HostState> onMark) {
    listener = onMark;
  }

  /**
   * Records a state the host reported itself rather than one of the {@link HostState}s, such as a
   * service's {@code running} at the end of a service operation.
   */
  public void markReported(String host, String reportedState, String message) {
    hosts.put(host, new HostProgress(host, reportedState, message));
  }

  /**
   * Takes each host's progress as a part of the rollout left it; a host the part never reached
   * keeps what the rollout knew.
   */
  public void update(List<HostProgress> parts) {
    for (HostProgress host : parts) {
      if (hosts.containsKey(host.host()) && !host.untouched()) {
        hosts.put(host.host(), host);
      }
    }
  }

  /** Marks the host failed; the first host that fails gives the whole run its cause. */
  public void hostFailed(String host, String what) {
    mark(host, HostState.FAILED, what);
    causeIfNone("host " + host + ": " + what);
  }

  public boolean has(String host) {
    return hosts.containsKey(host);
  }

  public int hostCount() {
    return hosts.size();
  }

  /** The hosts in rollout order. */
  public List<String> hostNames() {
    return List.copyOf(hosts.keySet());
  }

  public DeploymentState state() {
    return state;
  }

  public void end(DeploymentState endState) {
    state = endState;
  }

  public String cause() {
    return cause;
  }

  public void cause(String why) {
    cause = why;
  }

  /** Sets the cause unless an earlier one is known: the first failure explains the rest. */
  public void causeIfNone(String why) {
    if (cause == null) {
      cause = why;
    }
  }

  public String phase() {
    return phase;
  }

  /** Tells {@code onPhase} each phase the run enters (the UI's {@code CastPhase}). */
  public void onPhase(Consumer<String> onPhase) {
    phaseListener = onPhase;
  }

  /** What the run is doing now; the batch it is on stays as it was. */
  public void phase(String now) {
    phase = now;
    phaseListener.accept(now);
  }

  /** What the run is doing now, and in which batch of how many. */
  public void phase(String now, Integer batchNumber, Integer batchCount) {
    phase = now;
    phaseListener.accept(now);
    batch = batchNumber;
    batches = batchCount;
  }

  public DeploymentProgress snapshot() {
    return new DeploymentProgress(
        deploymentId, state, cause, List.copyOf(hosts.values()), phase, batch, batches);
  }

  /** As {@link #snapshot}, naming the parts of the rollout that run now. */
  public DeploymentProgress snapshot(List<String> parts) {
    return new DeploymentProgress(
        deploymentId, state, cause, List.copyOf(hosts.values()), phase, batch, batches, parts);
  }
}
