package dev.cast.api.core;

import dev.cast.api.db.DeploymentDao;
import dev.cast.api.db.DeploymentRow;
import dev.cast.api.db.HostAppRow;
import dev.cast.api.db.InstanceDao;
import dev.cast.api.db.ReleaseRow;
import dev.cast.api.errors.ApiException;
import dev.cast.api.metrics.CastMetrics;
import dev.cast.workflows.shared.CastSearch;
import dev.cast.workflows.shared.DeploymentProgress;
import dev.cast.workflows.shared.DeploymentState;
import dev.cast.workflows.shared.HostProgress;
import dev.cast.workflows.shared.HostState;
import dev.cast.workflows.shared.ReleaseRef;
import dev.cast.workflows.shared.TaskQueues;
import dev.cast.workflows.shared.WorkflowIds;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributes;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts deployments: records each in the catalog with its id and targets, refuses a second one of
 * an app while one runs (409 DEPLOYMENT_IN_PROGRESS), and starts its workflow on the control queue
 * with the release as agents fetch it.
 */
public final class DeploymentLauncher {
  private static final Logger log = LoggerFactory.getLogger(DeploymentLauncher.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Supplier<WorkflowClient> client;
  private final DeploymentDao deployments;
  private final InstanceDao instances;
  private final DeploymentStatus status;
  private final ReleaseUrls urls;
  private final Supplier<Set<String>> searchable;
  private final Map<String, Object> guards = new ConcurrentHashMap<>();
  private volatile CastMetrics metrics;

  public DeploymentLauncher(
      Supplier<WorkflowClient> client,
      DeploymentDao deployments,
      InstanceDao instances,
      DeploymentStatus status,
      ReleaseUrls urls) {
    this(client, deployments, instances, status, urls, Set::of);
  }

  /**
   * @param searchable the search attributes the Temporal server has registered: a workflow is
   *     started with those of {@link CastSearch} it has, and none it lacks
   */
  public DeploymentLauncher(
      Supplier<WorkflowClient> client,
      DeploymentDao deployments,
      InstanceDao instances,
      DeploymentStatus status,
      ReleaseUrls urls,
      Supplier<Set<String>> searchable) {
    this.client = client;
    this.deployments = deployments;
    this.instances = instances;
    this.status = status;
    this.urls = urls;
    this.searchable = searchable;
  }

  /** Counts each deployment started in {@code metrics}. */
  public void measuredBy(CastMetrics metrics) {
    this.metrics = metrics;
  }

  /**
   * What a deployment's workflow is started with: its Cast id, and the options that make it
   * findable and readable in the Temporal UI (search attributes, memo, summary and details).
   */
  public final class Launch {
    private final String id;
    private final String workflowId;
    private final WorkflowOptions options;

    private Launch(String id, String workflowId, WorkflowOptions options) {
      this.id = id;
      this.workflowId = workflowId;
      this.options = options;
    }

    /** The deployment's id ({@code d-…}). */
    public String id() {
      return id;
    }

    public String workflowId() {
      return workflowId;
    }

    /** A stub of the workflow to start, on the control queue, with every option above. */
    public <T> T stub(Class<T> type) {
      return client.get().newWorkflowStub(type, options);
    }
  }

  /** What a deployment is about, for the memo and the Temporal UI's summary of its workflow. */
  public record About(
      String kind,
      String service,
      String app,
      String version,
      List<String> hosts,
      Object strategy,
      String reason,
      String who) {}

  /**
   * Records the deployment, then starts its workflow ({@code starter} gets the new deployment's id
   * and a stub to start). Serialized per app, so that a deploy and a rollback of the same app
   * cannot both pass the "nothing running" check, while other apps start at the same time.
   */
  public DeploymentRow start(
      About about, String fixedWorkflowId, Function<Launch, WorkflowExecution> starter) {
    String kind = about.kind();
    String service = about.service();
    String app = about.app();
    String version = about.version();
    List<String> targets = about.hosts();
    String reason = about.reason();
    String who = about.who();
    synchronized (guards.computeIfAbsent(app, a -> new Object())) {
      for (DeploymentRow active : deployments.listActive()) {
        if (active.app().equals(app) && !status.refresh(active).state().terminal()) {
          throw busy(app, active.id());
        }
      }
      String id = newId();
      String workflowId = fixedWorkflowId != null ? fixedWorkflowId : WorkflowIds.control(app, id);
      List<HostProgress> pending = new ArrayList<>();
      for (String host : targets) {
        pending.add(HostProgress.of(host, HostState.PENDING, "waiting"));
      }
      Map<String, String> before = new LinkedHashMap<>();
      for (HostAppRow row : instances.current(app)) {
        if (targets.contains(row.host()) && row.version() != null) {
          before.put(row.host(), row.version());
        }
      }
      DeploymentRow row =
          new DeploymentRow(
              id,
              kind,
              app,
              version,
              DeploymentState.PENDING.name(),
              null,
              pending,
              workflowId,
              null,
              who,
              reason,
              System.currentTimeMillis(),
              null,
              service,
              null,
              null,
              before,
              null,
              null,
              null,
              null);
      deployments.insert(row);
      try {
        Launch launch = new Launch(id, workflowId, options(id, workflowId, about));
        WorkflowExecution execution = startOrWait(workflowId, () -> starter.apply(launch));
        deployments.setRunId(id, execution.getRunId());
        log.info("{} {} of {}@{} to {} started", kind, id, app, version, targets);
        CastMetrics counting = metrics;
        if (counting != null) {
          counting.started(kind, app);
        }
        return deployments.find(id).orElseThrow();
      } catch (WorkflowExecutionAlreadyStarted e) {
        deployments.delete(id);
        throw busy(app, null);
      } catch (RuntimeException e) {
        deployments.delete(id);
        throw e;
      }
    }
  }

  /**
   * Starts the workflow. A workflow records its final state just before it completes, so a start
   * right after a deployment ended can still find the previous run open for a moment: wait for it
   * to close, then start once more.
   */
  private WorkflowExecution startOrWait(String workflowId, Supplier<WorkflowExecution> start) {
    try {
      return start.get();
    } catch (WorkflowExecutionAlreadyStarted e) {
      try {
        client
            .get()
            .newUntypedWorkflowStub(workflowId, Optional.empty(), Optional.empty())
            .getResult(5, TimeUnit.SECONDS, DeploymentProgress.class);
      } catch (TimeoutException stillRunning) {
        throw e;
      } catch (RuntimeException closedWithFailure) {
        log.debug("previous run of {} closed: {}", workflowId, closedWithFailure.getMessage());
      }
      return start.get();
    }
  }

  private static ApiException busy(String app, String runningId) {
    return new ApiException(
        409,
        "DEPLOYMENT_IN_PROGRESS",
        "Conflict",
        "a deployment of "
            + app
            + " is already running"
            + (runningId == null ? "" : " (" + runningId + ")")
            + "; wait for it to finish or cancel it",
        runningId);
  }

  /** The options a deployment's workflow starts with. */
  private WorkflowOptions options(String id, String workflowId, About about) {
    Map<String, Object> memo = new LinkedHashMap<>();
    memo.put("deployment", id);
    memo.put("kind", about.kind());
    memo.put("app", about.app());
    putIfSet(memo, "service", about.service());
    memo.put("version", about.version());
    memo.put("hosts", about.hosts());
    putIfSet(memo, "strategy", about.strategy());
    putIfSet(memo, "reason", about.reason());
    putIfSet(memo, "requestedBy", about.who());
    return WorkflowOptions.newBuilder()
        .setWorkflowId(workflowId)
        .setTaskQueue(TaskQueues.CONTROL)
        // A safety net only; workflows get no retry policy.
        .setWorkflowExecutionTimeout(Duration.ofDays(1))
        .setTypedSearchAttributes(searchAttributes(id, about))
        .setMemo(memo)
        .setStaticSummary(WorkflowSummaries.summary(id, about))
        .setStaticDetails(WorkflowSummaries.details(id, about))
        .build();
  }

  private SearchAttributes searchAttributes(String id, About about) {
    Set<String> known = searchable.get();
    SearchAttributes.Builder attributes = SearchAttributes.newBuilder();
    Map<SearchAttributeKey<String>, String> values = new LinkedHashMap<>();
    values.put(CastSearch.APP, about.app());
    values.put(CastSearch.VERSION, about.version());
    values.put(CastSearch.KIND, about.kind());
    values.put(CastSearch.DEPLOYMENT, id);
    values.put(CastSearch.REQUESTED_BY, about.who());
    values.put(CastSearch.PHASE, "starting");
    values.forEach(
        (key, value) -> {
          if (value != null && known.contains(key.getName())) {
            attributes.set(key, value);
          }
        });
    return attributes.build();
  }

  private static void putIfSet(Map<String, Object> memo, String key, Object value) {
    if (value != null) {
      memo.put(key, value);
    }
  }

  /**
   * The release as a workflow carries it, with a capability in its bundle and torrent paths: agents
   * fetch both with it, without a user's token.
   */
  public ReleaseRef ref(ReleaseRow release) {
    return new ReleaseRef(
        release.app(),
        release.version(),
        release.sha256(),
        release.size(),
        urls.signedBundle(release.app(), release.version()),
        urls.signedTorrent(release.app(), release.version()));
  }

  private static String newId() {
    String alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
    StringBuilder id = new StringBuilder("d-");
    for (int i = 0; i < 10; i++) {
      id.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return id.toString();
  }
}
