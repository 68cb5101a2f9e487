package dev.cast.bench;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a deployment's time went, read from its workflow history: the phases of the rollout, the
 * workflow tasks (the control worker deciding; without sticky execution each one replays the whole
 * history), and per activity type how many ran, how long they waited for a worker and how long they
 * ran.
 *
 * @param events history events
 * @param workflowMs workflow started → completed
 * @param stagingMs first StageRelease scheduled → last one completed
 * @param switchingMs first SwitchRelease (ActivateRelease in older runs) scheduled → last
 *     RecordActivation completed (the batches)
 * @param pruningMs first PruneReleases scheduled → last one completed
 * @param workflowTasks workflow tasks completed
 * @param workflowTaskMs their time on the worker (started → completed), summed
 * @param workflowTaskWaitMs their time in the queue (scheduled → started), summed
 * @param activities per activity type: count, queue wait and run time
 * @param workflows histories read: the deployment's workflow and each of its parts (child
 *     workflows)
 * @param rootEvents events of the deployment's own workflow
 * @param maxPartEvents events of its largest part, 0 when it has none
 */
record HistoryProfile(
    int events,
    double workflowMs,
    double stagingMs,
    double switchingMs,
    double pruningMs,
    int workflowTasks,
    double workflowTaskMs,
    double workflowTaskWaitMs,
    Map<String, ActivityStats> activities,
    int workflows,
    int rootEvents,
    int maxPartEvents) {

  /** Activities of one type in one history: how many, and their summed wait and run times. */
  record ActivityStats(int count, double waitMs, double runMs) {
    ActivityStats plus(double wait, double run) {
      return new ActivityStats(count + 1, waitMs + wait, runMs + run);
    }
  }

  /** The host activities in the order a deploy runs them; the rest run on the control queue. */
  static final List<String> HOST_ACTIVITIES =
      List.of(
          "StageRelease",
          "SwitchRelease",
          "ActivateRelease",
          "AwaitHealthy",
          "RunHook",
          "PruneReleases");

  static HistoryProfile of(List<HistoryEvent> events) {
    return ofAll(List.of(events));
  }

  /**
   * The profile of a deployment run in parts: {@code histories} holds its own workflow's history
   * first, then each part's. Phases span all of them; events and workflow tasks add up.
   */
  static HistoryProfile ofAll(List<List<HistoryEvent>> histories) {
    Map<String, ActivityStats> activities = new TreeMap<>();
    Map<String, long[]> spans = new HashMap<>(); // type -> first scheduled, last completed
    long workflowStart = 0;
    long workflowEnd = 0;
    int tasks = 0;
    double taskMs = 0;
    double taskWaitMs = 0;
    int total = 0;
    int maxPart = 0;
    for (int h = 0; h < histories.size(); h++) {
      List<HistoryEvent> events = histories.get(h);
      total += events.size();
      if (h > 0) {
        maxPart = Math.max(maxPart, events.size());
      }
      Map<Long, HistoryEvent> byId = new HashMap<>();
      Map<Long, Long> activityStarted = new HashMap<>(); // scheduled event id -> started at
      long taskScheduled = 0;
      long taskStarted = 0;
      for (HistoryEvent e : events) {
        byId.put(e.getEventId(), e);
        long at = nanos(e);
        EventType type = e.getEventType();
        if (type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED) {
          workflowStart = h == 0 ? at : workflowStart;
        } else if (type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED) {
          workflowEnd = h == 0 ? at : workflowEnd;
        } else if (type == EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED) {
          taskScheduled = at;
        } else if (type == EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED) {
          taskStarted = at;
        } else if (type == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) {
          // One workflow task at a time: it is the last one scheduled and started.
          tasks++;
          taskMs += (at - taskStarted) / 1e6;
          taskWaitMs += (taskStarted - taskScheduled) / 1e6;
        } else if (type == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED) {
          activityStarted.put(e.getActivityTaskStartedEventAttributes().getScheduledEventId(), at);
        } else if (type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
          String name = e.getActivityTaskScheduledEventAttributes().getActivityType().getName();
          long[] span = spans.computeIfAbsent(name, n -> new long[] {at, at});
          span[0] = Math.min(span[0], at);
        } else if (type == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) {
          var attributes = e.getActivityTaskCompletedEventAttributes();
          HistoryEvent scheduled = byId.get(attributes.getScheduledEventId());
          // By scheduled id: the test server's startedEventId does not always point at the start.
          long started = activityStarted.getOrDefault(attributes.getScheduledEventId(), at);
          String name =
              scheduled.getActivityTaskScheduledEventAttributes().getActivityType().getName();
          double wait = (started - nanos(scheduled)) / 1e6;
          double run = (at - started) / 1e6;
          activities.merge(name, new ActivityStats(1, wait, run), (a, b) -> a.plus(wait, run));
          spans.get(name)[1] = Math.max(spans.get(name)[1], at);
        }
      }
    }
    return new HistoryProfile(
        total,
        (workflowEnd - workflowStart) / 1e6,
        span(spans, "StageRelease", "StageRelease"),
        span(
            spans,
            spans.containsKey("SwitchRelease") ? "SwitchRelease" : "ActivateRelease",
            spans.containsKey("RecordActivations") ? "RecordActivations" : "RecordActivation"),
        span(spans, "PruneReleases", "PruneReleases"),
        tasks,
        taskMs,
        taskWaitMs,
        activities,
        histories.size(),
        histories.get(0).size(),
        maxPart);
  }

  /** Host activities per host: what the workflow asks of each agent. */
  double hostActivitiesPerHost(int hosts) {
    int count = 0;
    for (String name : HOST_ACTIVITIES) {
      count += activities.getOrDefault(name, new ActivityStats(0, 0, 0)).count();
    }
    return (double) count / hosts;
  }

  private static double span(Map<String, long[]> spans, String first, String last) {
    long[] from = spans.get(first);
    long[] to = spans.get(last);
    return from == null || to == null ? 0 : (to[1] - from[0]) / 1e6;
  }

  private static long nanos(HistoryEvent e) {
    return e.getEventTime().getSeconds() * 1_000_000_000L + e.getEventTime().getNanos();
  }
}
