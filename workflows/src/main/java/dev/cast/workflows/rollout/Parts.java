package dev.cast.workflows.rollout;

import dev.cast.workflows.shared.Failures;
import dev.cast.workflows.shared.HostProgress;
import dev.cast.workflows.shared.ReleaseRef;
import dev.cast.workflows.shared.TaskQueues;
import dev.cast.workflows.shared.WorkflowIds;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.SignalExternalWorkflowException;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The parts of a {@link PartedRollout} as child workflows on the control queue: starts them side by
 * side, waits for them all, and passes on what their rollout learns meanwhile (a pause or a resume,
 * a host the api reported silent, a cancel request), one signal at a time per part. Children are
 * started in a detached scope: a cancel of the rollout reaches them as a {@code stop} signal, after
 * which each reports what it switched rather than closing as cancelled.
 */
final class Parts {
  /**
   * Parts of a rollout running at once at most: 1,000 hosts at 250 a part. Each host a part acts on
   * at once is a workflow thread on the control worker (its step runs side by side with the
   * others'), and the worker has a fixed number of them for every workflow it runs.
   */
  static final int AT_ONCE = 4;

  private final String rolloutId;
  private final String deploymentId;
  private final Map<PartKind, Integer> started = new EnumMap<>(PartKind.class);
  private final List<Child> running = new ArrayList<>();
  private final Set<String> lost = new LinkedHashSet<>();
  private BooleanSupplier stop = () -> false;
  private boolean paused;

  /** A part running, and what it has been told. */
  private static final class Child {
    final String id;
    final PartRequest request;
    final Set<String> hosts;
    final PartWorkflow stub;
    final Promise<WorkflowExecution> execution;
    final Promise<PartResult> result;
    final Set<String> toldLost = new HashSet<>();
    boolean toldPaused;
    boolean toldStop;
    boolean signalling;

    Child(String id, PartRequest request, PartWorkflow stub) {
      this.id = id;
      this.request = request;
      this.hosts = new HashSet<>(request.hosts());
      this.stub = stub;
      this.result = Async.function(stub::run, request);
      this.execution = Workflow.getWorkflowExecution(stub);
      this.toldPaused = request.paused();
      this.toldLost.addAll(request.lost());
    }
  }

  Parts(String rolloutId, String deploymentId) {
    this.rolloutId = rolloutId;
    this.deploymentId = deploymentId;
  }

  /** Parts started from now on stop when {@code cancelled} says so. */
  void stopWhen(BooleanSupplier cancelled) {
    stop = cancelled;
  }

  /**
   * Runs the parts side by side and returns their results in order, once all have ended.
   *
   * @param stoppable whether a cancel request stops them (reverts are never stopped)
   */
  List<PartResult> run(List<PartRequest> requests, boolean stoppable) {
    List<Child> children = new ArrayList<>();
    Workflow.newDetachedCancellationScope(
            () -> {
              while (children.size() < requests.size() || !allDone(children)) {
                while (children.size() < requests.size()
                    && active(children) < AT_ONCE
                    && !(stoppable && stop.getAsBoolean())) {
                  Child child = start(requests.get(children.size()));
                  children.add(child);
                  running.add(child);
                }
                if (stoppable && stop.getAsBoolean() && allDone(children)) {
                  break; // the rest never start
                }
                Workflow.await(
                    () ->
                        (allDone(children) && children.size() == requests.size())
                            || (children.size() < requests.size()
                                && active(children) < AT_ONCE
                                && !(stoppable && stop.getAsBoolean()))
                            || (stoppable && stop.getAsBoolean() && allDone(children))
                            || children.stream().anyMatch(c -> due(c, stoppable)));
                for (Child child : children) {
                  if (due(child, stoppable)) {
                    tell(child, stoppable);
                  }
                }
              }
              running.removeAll(children);
            })
        .run();
    List<PartResult> results = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      results.add(i < children.size() ? result(children.get(i)) : neverStarted());
    }
    return results;
  }

  private static int active(List<Child> children) {
    return (int) children.stream().filter(c -> !c.result.isCompleted()).count();
  }

  /** A part a cancel request came before: it did nothing. */
  private static PartResult neverStarted() {
    return new PartResult(
        PartResult.Outcome.STOPPED,
        null,
        List.of(),
        List.of(),
        Map.of(),
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        null);
  }

  private Child start(PartRequest request) {
    int n = started.merge(request.kind(), 1, Integer::sum);
    String id =
        WorkflowIds.part(rolloutId, deploymentId, request.kind().name().toLowerCase() + "-" + n);
    List<String> hosts = request.hosts();
    ChildWorkflowOptions options =
        ChildWorkflowOptions.newBuilder()
            .setWorkflowId(id)
            .setTaskQueue(TaskQueues.CONTROL)
            .setStaticSummary(
                request.kind().name().charAt(0)
                    + request.kind().name().substring(1).toLowerCase()
                    + " "
                    + hosts.size()
                    + (hosts.size() == 1 ? " host: " : " hosts: ")
                    + hosts.get(0)
                    + (hosts.size() > 1 ? " … " + hosts.get(hosts.size() - 1) : ""))
            .build();
    return new Child(id, request, Workflow.newChildWorkflowStub(PartWorkflow.class, options));
  }

  private static boolean allDone(List<Child> children) {
    return children.stream().allMatch(c -> c.result.isCompleted());
  }

  /** Whether the part runs, takes signals and has not been told something yet. */
  private boolean due(Child child, boolean stoppable) {
    if (child.result.isCompleted() || !child.execution.isCompleted() || child.signalling) {
      return false;
    }
    if (child.toldStop) {
      return false;
    }
    return (stoppable && stop.getAsBoolean())
        || (child.request.kind() == PartKind.SWITCH && child.toldPaused != paused)
        || (child.request.kind() != PartKind.REVERT && lostToTell(child) != null);
  }

  private String lostToTell(Child child) {
    for (String host : lost) {
      if (child.hosts.contains(host) && !child.toldLost.contains(host)) {
        return host;
      }
    }
    return null;
  }

  private void tell(Child child, boolean stoppable) {
    child.signalling = true;
    Runnable signal;
    if (stoppable && stop.getAsBoolean()) {
      child.toldStop = true;
      signal = child.stub::stop;
    } else if (child.request.kind() == PartKind.SWITCH && child.toldPaused != paused) {
      boolean now = paused;
      child.toldPaused = now;
      signal = () -> child.stub.hold(now);
    } else {
      String host = lostToTell(child);
      child.toldLost.add(host);
      signal = () -> child.stub.hostUnreachable(host);
    }
    Async.procedure(
        () -> {
          try {
            signal.run();
          } catch (SignalExternalWorkflowException closed) {
            // The part ended before the signal reached it; its result says what it did.
          } finally {
            child.signalling = false;
          }
        });
  }

  /**
   * A part's result. A part that failed as a workflow (it should not: it returns its failures) said
   * nothing of what it switched, so every host it was to switch is reverted: each revert copes with
   * a switch that never happened.
   */
  private static PartResult result(Child child) {
    try {
      return child.result.get();
    } catch (ChildWorkflowFailure failure) {
      PartRequest request = child.request;
      List<String> maybe = new ArrayList<>();
      if (request.kind() == PartKind.SWITCH) {
        for (String host : request.hosts()) {
          ReleaseRef target = request.perHost().getOrDefault(host, request.release());
          if (!target.version().equals(request.previous().get(host))) {
            maybe.add(host);
          }
        }
      }
      return new PartResult(
          PartResult.Outcome.FAILED,
          "part " + child.id + " failed: " + Failures.describe(failure),
          List.<HostProgress>of(),
          List.of(),
          Map.of(),
          maybe,
          maybe,
          List.of(),
          List.of(),
          null);
    }
  }

  /** Switching parts hold before their next batch while paused. */
  void pause(boolean now) {
    paused = now;
  }

  boolean paused() {
    return paused;
  }

  /** The parts running now that act on the host are told it is silent. */
  void hostLost(String host) {
    lost.add(host);
  }

  /** The workflow ids of the parts that run now. */
  List<String> runningIds() {
    List<String> ids = new ArrayList<>();
    for (Child child : running) {
      if (child.execution.isCompleted() && !child.result.isCompleted()) {
        ids.add(child.id);
      }
    }
    return ids;
  }
}
