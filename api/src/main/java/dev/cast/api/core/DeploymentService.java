package dev.cast.api.core;

import dev.cast.api.db.DeploymentDao;
import dev.cast.api.db.DeploymentRow;
import dev.cast.api.db.HostAppRow;
import dev.cast.api.db.HostDao;
import dev.cast.api.db.HostRow;
import dev.cast.api.db.InstanceDao;
import dev.cast.api.db.ReleaseRow;
import dev.cast.api.db.ServiceStatusDao;
import dev.cast.api.errors.ApiException;
import dev.cast.api.model.DeployBody;
import dev.cast.api.model.DeploymentView;
import dev.cast.api.model.RollbackBody;
import dev.cast.api.model.ServiceControlBody;
import dev.cast.api.temporal.ProgressQueries;
import dev.cast.api.temporal.TemporalEngine;
import dev.cast.workflows.deploy.DeployRequest;
import dev.cast.workflows.deploy.DeployWorkflow;
import dev.cast.workflows.deploy.Strategy;
import dev.cast.workflows.rollback.RollbackRequest;
import dev.cast.workflows.rollback.RollbackWorkflow;
import dev.cast.workflows.service.ServiceControlRequest;
import dev.cast.workflows.service.ServiceControlWorkflow;
import dev.cast.workflows.shared.DeploymentProgress;
import dev.cast.workflows.shared.DeploymentState;
import dev.cast.workflows.shared.HostProgress;
import dev.cast.workflows.shared.Limits;
import dev.cast.workflows.shared.ReleaseRef;
import dev.cast.workflows.shared.TaskQueues;
import dev.cast.workflows.shared.WorkflowIds;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts deploy and rollback workflows and answers for them: live from a workflow query while they
 * run, from the catalog once they are done.
 */
public final class DeploymentService {
  private static final Logger log = LoggerFactory.getLogger(DeploymentService.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Supplier<WorkflowClient> client;
  private final ReleaseStore releases;
  private final DeploymentDao deployments;
  private final HostDao hosts;
  private final InstanceDao instances;
  private final ServiceStatusDao statuses;
  private final Duration defaultDeadline;
  private final Duration defaultProgressDeadline;
  private final Duration unreachableAfter;
  private final int keepReleases;
  private final ReleaseUrls urls;
  private volatile java.util.concurrent.CompletableFuture<?> hostsReady =
      java.util.concurrent.CompletableFuture.completedFuture(null);

  public DeploymentService(
      Supplier<WorkflowClient> client,
      ReleaseStore releases,
      DeploymentDao deployments,
      HostDao hosts,
      InstanceDao instances,
      ServiceStatusDao statuses,
      dev.cast.api.config.DeploySettings defaults,
      ReleaseUrls urls) {
    this.client = client;
    this.urls = urls;
    this.releases = releases;
    this.deployments = deployments;
    this.hosts = hosts;
    this.instances = instances;
    this.statuses = statuses;
    this.defaultDeadline = millis(defaults.getHealthyDeadline());
    this.defaultProgressDeadline = millis(defaults.getProgressDeadline());
    this.unreachableAfter = millis(defaults.getUnreachableAfter());
    this.keepReleases = defaults.getKeepReleases();
  }

  /**
   * Requests that need hosts wait (up to 30 s) until {@code ready} completes when no host has
   * registered yet: the server's own agent registers a moment after the REST port opens.
   */
  public void holdUntilHostsReady(java.util.concurrent.CompletableFuture<?> ready) {
    this.hostsReady = ready;
  }

  public DeploymentRow deploy(String app, DeployBody body, String who) {
    if (body == null || body.version() == null) {
      throw ApiException.badRequest(
          "INVALID_REQUEST", "field \"version\" is required, e.g. {\"version\": \"1.0.0\"}");
    }
    releases.requireApp(app);
    ReleaseRow release = releases.require(app, Names.version(body.version()));
    RequestChecks.reason(body.reason());
    RequestChecks.selector(body.selector());
    RequestChecks.hosts(body.hosts());
    List<String> targets = targets(body.hosts(), body.selector());
    Duration healthy = deadline(healthyDeadline(body));
    Strategy strategy =
        Strategies.parse(body.strategy(), targets.size(), healthy, defaultProgressDeadline);
    long deadline = healthy.toMillis();
    return start(
        "deploy",
        null,
        app,
        release.version(),
        targets,
        body.reason(),
        who,
        WorkflowIds.deploy(app),
        id -> {
          DeployWorkflow stub = newStub(DeployWorkflow.class, WorkflowIds.deploy(app));
          return WorkflowClient.start(
              stub::run,
              new DeployRequest(
                  id,
                  ref(release),
                  targets,
                  deadline,
                  keepReleases,
                  strategy,
                  unreachableAfter.toMillis()));
        });
  }

  /**
   * Rolls an app back: each host to the version named, or to its own previous release (as its agent
   * last reported). Hosts already on their target are left out; a rollback that would change no
   * host is refused rather than reported as done.
   */
  public DeploymentRow rollback(String app, RollbackBody body, String who) {
    releases.requireApp(app);
    RollbackBody request = body == null ? new RollbackBody(null, null, null, null, null) : body;
    String named = request.version() != null ? Names.version(request.version()) : null;
    if (named != null) {
      releases.require(app, named);
    }
    RequestChecks.reason(request.reason());
    RequestChecks.hosts(request.hosts());
    Map<String, HostAppRow> onHosts = new LinkedHashMap<>();
    for (HostAppRow row : instances.current(app)) {
      onHosts.put(row.host(), row);
    }
    Map<String, String> versionOf =
        rollbackVersions(app, named, rollbackTargets(app, request.hosts(), onHosts), onHosts);
    long deadline = deadline(request.healthyDeadline()).toMillis();
    int maxParallel =
        request.maxParallel() == null
            ? 0
            : RequestChecks.count("maxParallel", request.maxParallel(), 1, Limits.MAX_HOSTS);
    // The release most hosts go back to; the others are named per host.
    Map<String, Long> counts = new LinkedHashMap<>();
    versionOf.values().forEach(v -> counts.merge(v, 1L, Long::sum));
    String main =
        counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    ReleaseRow release = releases.require(app, main);
    Map<String, ReleaseRef> perHost = new LinkedHashMap<>();
    versionOf.forEach(
        (host, version) -> {
          if (!version.equals(main)) {
            perHost.put(host, ref(releases.require(app, version)));
          }
        });
    List<String> targets = List.copyOf(versionOf.keySet());
    String versions = String.join(", ", counts.keySet());
    return start(
        "rollback",
        null,
        app,
        versions,
        targets,
        request.reason(),
        who,
        WorkflowIds.rollback(app),
        id -> {
          RollbackWorkflow stub = newStub(RollbackWorkflow.class, WorkflowIds.rollback(app));
          return WorkflowClient.start(
              stub::run,
              new RollbackRequest(
                  id,
                  ref(release),
                  targets,
                  deadline,
                  maxParallel,
                  unreachableAfter.toMillis(),
                  perHost.isEmpty() ? null : perHost));
        });
  }

  /** The hosts named, or every host (not drained) on which the app has a current release. */
  private List<String> rollbackTargets(
      String app, List<String> requested, Map<String, HostAppRow> onHosts) {
    if (requested != null && !requested.isEmpty()) {
      return targets(requested);
    }
    List<String> running =
        hosts.list().stream()
            .filter(h -> !h.drained())
            .map(HostRow::name)
            .filter(h -> onHosts.containsKey(h) && onHosts.get(h).version() != null)
            .toList();
    if (running.isEmpty()) {
      throw ApiException.conflict(
          "APP_NOT_DEPLOYED",
          app
              + " runs on no host (that is not drained); deploy it: POST /v1/apps/"
              + app
              + "/deployments");
    }
    return running;
  }

  /** Each target host's version to go back to; hosts already there are left out. */
  private Map<String, String> rollbackVersions(
      String app, String named, List<String> targets, Map<String, HostAppRow> onHosts) {
    Map<String, String> versionOf = new LinkedHashMap<>();
    List<String> noPrevious = new ArrayList<>();
    java.util.Set<String> running = new java.util.TreeSet<>();
    java.util.Set<String> held = new java.util.TreeSet<>();
    for (String host : targets) {
      HostAppRow row = onHosts.get(host);
      String current = row == null ? null : row.version();
      String target = named != null ? named : row == null ? null : row.previousVersion();
      if (row != null) {
        if (row.releases() != null) {
          held.addAll(row.releases());
        }
      }
      if (target == null) {
        noPrevious.add(host);
      } else if (target.equals(current)) {
        running.add(current);
      } else {
        versionOf.put(host, target);
      }
    }
    if (!noPrevious.isEmpty()) {
      throw ApiException.conflict(
          "NO_PREVIOUS_RELEASE",
          (noPrevious.size() == 1 ? "host " : "hosts ")
              + String.join(", ", noPrevious)
              + (noPrevious.size() == 1 ? " has" : " have")
              + " no previous release of "
              + app
              + " to roll back to"
              + (held.isEmpty() ? "" : " (releases on them: " + String.join(", ", held) + ")")
              + "; name one: {\"version\": ...}");
    }
    if (versionOf.isEmpty()) {
      throw ApiException.conflict(
          "NOTHING_TO_ROLL_BACK",
          (targets.size() == 1 ? "host " + targets.get(0) + " already runs " : "hosts already run ")
              + String.join(", ", running)
              + (held.isEmpty() ? "" : "; releases on them: " + String.join(", ", held))
              + "; name another version: {\"version\": ...}");
    }
    return versionOf;
  }

  /** The health deadline: the strategy's, the request's (they must agree), or the default. */
  private static String healthyDeadline(DeployBody body) {
    String outer = body.healthyDeadline();
    String inner = body.strategy() == null ? null : body.strategy().healthyDeadline();
    if (outer != null && inner != null && !outer.equals(inner)) {
      throw ApiException.badRequest(
          "INVALID_REQUEST",
          "healthyDeadline is given twice with different values ("
              + outer
              + " and strategy.healthyDeadline "
              + inner
              + "); give it once");
    }
    return inner != null ? inner : outer;
  }

  private static Duration millis(io.dropwizard.util.Duration duration) {
    return Duration.ofMillis(duration.toMilliseconds());
  }

  /** Sends promote, pause or resume to a running deploy, or cancels it. */
  public DeploymentView signal(String id, String action) {
    DeploymentRow row =
        deployments
            .find(id)
            .orElseThrow(
                () -> ApiException.notFound("DEPLOYMENT_NOT_FOUND", "no deployment " + id));
    if (!"deploy".equals(row.kind()) && !action.equals("cancel")) {
      throw ApiException.conflict(
          "NOT_A_DEPLOY", id + " is a " + row.kind() + "; only deploys take " + action);
    }
    Picture now = picture(row);
    if (now.progress().state().terminal()) {
      throw ApiException.conflict(
          "DEPLOYMENT_FINISHED", id + " has already finished; there is nothing to " + action);
    }
    var stub =
        client
            .get()
            .newUntypedWorkflowStub(row.workflowId(), Optional.of(row.runId()), Optional.empty());
    if (action.equals("cancel")) {
      if (now.stuck() != null) {
        return endStuck(row, now.stuck());
      }
      stub.cancel();
    } else {
      if (now.stuck() != null) {
        throw ApiException.conflict(
            "DEPLOYMENT_STUCK",
            id
                + " cannot make progress ("
                + now.stuck()
                + "); cancel it: POST /v1/deployments/"
                + id
                + "/cancel");
      }
      stub.signal(action);
    }
    return view(id);
  }

  /**
   * Ends a deployment whose workflow cannot run its tasks, which a cancel request would never
   * reach: terminates the workflow, records it CANCELLED, and puts the hosts it switched back on
   * their previous release with a separate rollback.
   */
  private DeploymentView endStuck(DeploymentRow row, String why) {
    client
        .get()
        .newUntypedWorkflowStub(row.workflowId(), Optional.of(row.runId()), Optional.empty())
        .terminate("cancelled while stuck: " + why);
    Map<String, String> before = row.hostsBefore() == null ? Map.of() : row.hostsBefore();
    List<String> switched = new ArrayList<>();
    for (HostAppRow host : instances.current(row.app())) {
      boolean target = row.hosts().stream().anyMatch(h -> h.host().equals(host.host()));
      if (target
          && row.version().equals(host.version())
          && !row.version().equals(before.get(host.host()))
          && host.previousVersion() != null) {
        switched.add(host.host());
      }
    }
    String cause = "cancelled while stuck (" + why + "); its workflow was terminated";
    deployments.updateState(
        row.id(),
        DeploymentState.CANCELLED.name(),
        cause + (switched.isEmpty() ? "; no host had switched" : ""),
        row.hosts(),
        System.currentTimeMillis());
    log.warn("deployment {} {}", row.id(), cause);
    if (!switched.isEmpty() && !row.kind().equals("deploy") && !row.kind().equals("rollback")) {
      switched.clear(); // A service operation switched no release.
    }
    if (!switched.isEmpty()) {
      String outcome;
      try {
        DeploymentRow revert =
            rollback(
                row.app(),
                new RollbackBody(
                    null,
                    switched,
                    null,
                    "revert of " + row.id() + ", cancelled while stuck",
                    null),
                row.requestedBy());
        outcome = "; hosts " + switched + " are put back by " + revert.id();
      } catch (ApiException e) {
        outcome = "; hosts " + switched + " could not be put back: " + e.getMessage();
        log.warn("deployment {}: {}", row.id(), outcome);
      }
      deployments.updateState(
          row.id(),
          DeploymentState.CANCELLED.name(),
          cause + outcome,
          row.hosts(),
          System.currentTimeMillis());
    }
    return view(row.id());
  }

  /** Starts a service operation (start, stop, restart, enable, disable) across hosts. */
  public DeploymentRow control(
      String app, String service, String action, ServiceControlBody body, String who) {
    releases.requireApp(app);
    ServiceControlBody request =
        body == null ? new ServiceControlBody(null, null, null, null) : body;
    RequestChecks.reason(request.reason());
    RequestChecks.hosts(request.hosts());
    List<HostAppRow> running =
        instances.current(app).stream().filter(c -> c.version() != null).toList();
    if (running.isEmpty()) {
      throw ApiException.conflict(
          "APP_NOT_DEPLOYED", app + " is not deployed on any host; deploy it first");
    }
    ReleaseRow release = releases.require(app, running.get(0).version());
    requireService(release, service);
    List<String> targets = serviceTargets(app, running, request.hosts());
    refuseDisabled(app, service, action, targets);
    int maxParallel =
        request.maxParallel() == null
            ? 1
            : RequestChecks.count("maxParallel", request.maxParallel(), 1, Limits.MAX_HOSTS);
    long deadline = deadline(request.healthyDeadline()).toMillis();
    return start(
        action,
        service,
        app,
        release.version(),
        targets,
        request.reason(),
        who,
        null,
        id -> {
          String workflowId = WorkflowIds.control(app, id);
          ServiceControlWorkflow stub = newStub(ServiceControlWorkflow.class, workflowId);
          return WorkflowClient.start(
              stub::run,
              new ServiceControlRequest(id, app, service, action, targets, maxParallel, deadline));
        });
  }

  private void requireService(ReleaseRow release, String service) {
    if (!release.services().contains(service)) {
      throw ApiException.notFound(
          "SERVICE_NOT_FOUND",
          "service \""
              + service
              + "\" is not in "
              + release.app()
              + "@"
              + release.version()
              + " (services: "
              + release.services()
              + ")");
    }
  }

  private List<String> serviceTargets(
      String app, List<HostAppRow> running, List<String> requested) {
    List<String> names = running.stream().map(HostAppRow::host).toList();
    if (requested == null || requested.isEmpty()) {
      return names;
    }
    for (String host : requested) {
      if (!names.contains(host)) {
        throw ApiException.notFound(
            "HOST_NOT_FOUND",
            "hosts: \"" + host + "\" does not run " + app + " (hosts running it: " + names + ")");
      }
    }
    return List.copyOf(new java.util.LinkedHashSet<>(requested));
  }

  private void refuseDisabled(String app, String service, String action, List<String> targets) {
    if (!action.equals("start") && !action.equals("restart")) {
      return;
    }
    for (ServiceStatusDao.ServiceStatusRow row : statuses.forService(app, service)) {
      var status = row.status();
      if (targets.contains(status.host()) && !status.enabled()) {
        throw ApiException.conflict(
            "SERVICE_DISABLED",
            service
                + " is disabled on host "
                + status.host()
                + ", so it cannot "
                + action
                + "; enable it first: POST /v1/apps/"
                + app
                + "/services/"
                + service
                + "/enable");
      }
    }
  }

  /**
   * Records the deployment, then starts its workflow. Serialized, so that a deploy and a rollback
   * of the same app cannot both pass the "nothing running" check.
   */
  private synchronized DeploymentRow start(
      String kind,
      String service,
      String app,
      String version,
      List<String> targets,
      String reason,
      String who,
      String fixedWorkflowId,
      Function<String, WorkflowExecution> starter) {
    for (DeploymentRow active : deployments.listActive()) {
      if (active.app().equals(app) && !refresh(active).state().terminal()) {
        throw busy(app, active.id());
      }
    }
    String id = newId();
    String workflowId = fixedWorkflowId != null ? fixedWorkflowId : WorkflowIds.control(app, id);
    List<HostProgress> pending = new ArrayList<>();
    for (String host : targets) {
      pending.add(new HostProgress(host, "pending", "waiting"));
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
            before);
    deployments.insert(row);
    try {
      WorkflowExecution execution = startOrWait(workflowId, () -> starter.apply(id));
      deployments.setRunId(id, execution.getRunId());
      log.info("{} {} of {}@{} to {} started", kind, id, app, version, targets);
      return deployments.find(id).orElseThrow();
    } catch (WorkflowExecutionAlreadyStarted e) {
      deployments.delete(id);
      throw busy(app, null);
    } catch (RuntimeException e) {
      deployments.delete(id);
      throw e;
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
            .getResult(5, java.util.concurrent.TimeUnit.SECONDS, DeploymentProgress.class);
      } catch (java.util.concurrent.TimeoutException stillRunning) {
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

  private <T> T newStub(Class<T> type, String workflowId) {
    return client
        .get()
        .newWorkflowStub(
            type,
            WorkflowOptions.newBuilder()
                .setWorkflowId(workflowId)
                .setTaskQueue(TaskQueues.CONTROL)
                // A safety net only; workflows get no retry policy.
                .setWorkflowExecutionTimeout(Duration.ofDays(1))
                .build());
  }

  /**
   * The release as a workflow carries it, with a capability in its bundle and torrent paths: agents
   * fetch both with it, without a user's token.
   */
  private ReleaseRef ref(ReleaseRow release) {
    return new ReleaseRef(
        release.app(),
        release.version(),
        release.sha256(),
        release.size(),
        urls.signedBundle(release.app(), release.version()),
        urls.signedTorrent(release.app(), release.version()));
  }

  private List<String> targets(List<String> requested) {
    return targets(requested, null);
  }

  /**
   * The hosts a deployment goes to: the named ones, the ones whose labels match the selector, or
   * every host that is not drained.
   */
  private List<String> targets(List<String> requested, Map<String, String> selector) {
    List<HostRow> known = hosts.list();
    if (known.isEmpty() && !hostsReady.isDone()) {
      // The embedded agent is still starting: wait for it rather than answer NO_HOSTS.
      try {
        hostsReady.get(30, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        log.warn("the embedded agent is not ready: {}", e.getMessage());
      }
      known = hosts.list();
    }
    List<String> names = known.stream().map(HostRow::name).toList();
    if (requested != null && !requested.isEmpty() && selector != null && !selector.isEmpty()) {
      throw ApiException.badRequest(
          "INVALID_REQUEST", "give either \"hosts\" or \"selector\", not both");
    }
    if (requested == null || requested.isEmpty()) {
      List<String> chosen =
          known.stream()
              .filter(h -> !h.drained() && matches(h, selector))
              .map(HostRow::name)
              .toList();
      if (chosen.isEmpty()) {
        throw ApiException.conflict(
            "NO_HOSTS",
            names.isEmpty()
                ? "no host agent has registered yet; start one with ./cast agent"
                : "no host that is not drained"
                    + (selector == null || selector.isEmpty()
                        ? ""
                        : " matches selector " + selector)
                    + " (hosts: "
                    + names
                    + ")");
      }
      return chosen;
    }
    for (String host : requested) {
      HostRow row =
          known.stream()
              .filter(h -> h.name().equals(host))
              .findFirst()
              .orElseThrow(
                  () ->
                      ApiException.badRequest(
                          "UNKNOWN_HOST",
                          "hosts: unknown host \"" + host + "\" (known: " + names + ")"));
      if (row.drained()) {
        throw ApiException.conflict(
            "HOST_DRAINED",
            "host \""
                + host
                + "\" is drained; undrain it first: POST /v1/hosts/"
                + host
                + "/undrain");
      }
    }
    return List.copyOf(new java.util.LinkedHashSet<>(requested));
  }

  private boolean matches(HostRow host, Map<String, String> selector) {
    if (selector == null || selector.isEmpty()) {
      return true;
    }
    Map<String, String> labels = host.labels() == null ? Map.of() : host.labels();
    return labels.entrySet().containsAll(selector.entrySet());
  }

  private Duration deadline(String text) {
    if (text == null) {
      return defaultDeadline;
    }
    return RequestChecks.duration(
        "healthyDeadline", text, Limits.MIN_HEALTHY_DEADLINE, Limits.MAX_HEALTHY_DEADLINE);
  }

  public DeploymentView view(String id) {
    DeploymentRow row =
        deployments
            .find(id)
            .orElseThrow(
                () -> ApiException.notFound("DEPLOYMENT_NOT_FOUND", "no deployment " + id));
    Picture picture = picture(row);
    return toView(row, picture.progress(), picture.unavailable());
  }

  public List<DeploymentView> list(String app) {
    releases.requireApp(app);
    return deployments.listByApp(app).stream().map(r -> toView(r, stored(r), null)).toList();
  }

  /**
   * How a deployment stands, as {@link #view} shows it: the progress, and when the workflow could
   * not answer, why the live view is unavailable and, when it cannot run its tasks, why.
   */
  private record Picture(DeploymentProgress progress, String unavailable, String stuck) {}

  private DeploymentProgress refresh(DeploymentRow row) {
    return picture(row).progress();
  }

  /**
   * The current picture of a deployment: the stored one when it is over, otherwise the workflow's
   * answer (within {@link TemporalEngine#QUERY_TIMEOUT}); a workflow that no longer exists turns
   * the deployment INTERRUPTED, one that does not answer leaves the stored picture with the reason.
   */
  private Picture picture(DeploymentRow row) {
    DeploymentProgress stored = stored(row);
    if (stored.state().terminal() || row.runId() == null) {
      return new Picture(stored, null, null);
    }
    try {
      DeploymentProgress live =
          ProgressQueries.progress(
              client.get(), row.workflowId(), row.runId(), TemporalEngine.QUERY_TIMEOUT);
      if (!live.state().terminal()) {
        deployments.updateLiveHosts(row.id(), live.hosts());
      }
      return new Picture(live, null, null);
    } catch (ProgressQueries.NotFound e) {
      String cause = "its workflow no longer exists (the Temporal server restarted?); deploy again";
      deployments.updateState(
          row.id(),
          DeploymentState.INTERRUPTED.name(),
          cause,
          row.hosts(),
          System.currentTimeMillis());
      return new Picture(
          new DeploymentProgress(row.id(), DeploymentState.INTERRUPTED, cause, stored.hosts()),
          null,
          null);
    } catch (ProgressQueries.NoAnswer | io.temporal.client.WorkflowException e) {
      // The workflow cannot answer right now (its task is failing or no worker polls): show
      // what the catalog has rather than fail the request, and say why.
      String stuck = failingTask(row);
      String why =
          stuck != null
              ? "its workflow cannot run its tasks: " + stuck
              : "its workflow did not answer its progress query: " + rootMessage(e);
      log.warn("deployment {}: live view unavailable, {}", row.id(), why);
      return new Picture(stored, "unavailable: " + why + "; showing the catalog's record", stuck);
    }
  }

  /**
   * Why the workflow's tasks fail, from its history: the failure of its last workflow task when no
   * task completed after it; null when its tasks do not fail.
   */
  private String failingTask(DeploymentRow row) {
    try {
      String failure = null;
      for (io.temporal.api.history.v1.HistoryEvent event :
          client.get().fetchHistory(row.workflowId(), row.runId()).getEvents()) {
        switch (event.getEventType()) {
          case EVENT_TYPE_WORKFLOW_TASK_FAILED ->
              failure = innermost(event.getWorkflowTaskFailedEventAttributes().getFailure());
          case EVENT_TYPE_WORKFLOW_TASK_COMPLETED -> failure = null;
          default -> {}
        }
      }
      return failure;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The innermost cause of a failure, e.g. {@code IllegalStateException: what went wrong}. */
  private static String innermost(io.temporal.api.failure.v1.Failure failure) {
    io.temporal.api.failure.v1.Failure root = failure;
    while (root.hasCause()) {
      root = root.getCause();
    }
    String type =
        root.hasApplicationFailureInfo() ? root.getApplicationFailureInfo().getType() : "";
    return (type.isEmpty() ? "" : type.substring(type.lastIndexOf('.') + 1) + ": ")
        + root.getMessage();
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  /** Marks deployments whose workflows vanished while the api was down. */
  public void reconcile() {
    for (DeploymentRow row : deployments.listActive()) {
      try {
        refresh(row);
      } catch (RuntimeException e) {
        log.warn("could not check deployment {}: {}", row.id(), e.getMessage());
      }
    }
  }

  private DeploymentProgress stored(DeploymentRow row) {
    return new DeploymentProgress(
        row.id(),
        DeploymentState.valueOf(row.state()),
        row.cause(),
        row.hosts(),
        null,
        row.batch(),
        row.batches());
  }

  private DeploymentView toView(DeploymentRow row, DeploymentProgress progress, String liveView) {
    return new DeploymentView(
        row.id(),
        row.kind(),
        row.app(),
        row.service(),
        row.version(),
        progress.state().name(),
        progress.cause(),
        progress.hosts(),
        progress.state().terminal() ? null : progress.phase(),
        progress.batch(),
        progress.batches(),
        row.requestedBy(),
        row.reason(),
        Instant.ofEpochMilli(row.startedAt()).toString(),
        row.endedAt() == null ? null : Instant.ofEpochMilli(row.endedAt()).toString(),
        row.workflowId(),
        row.runId(),
        liveView);
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
