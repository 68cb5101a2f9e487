package dev.cast.api.core;

import dev.cast.api.config.DeploySettings;
import dev.cast.api.db.DeployPlan;
import dev.cast.api.db.DeploymentDao;
import dev.cast.api.db.DeploymentRow;
import dev.cast.api.db.HostAppRow;
import dev.cast.api.db.InstanceDao;
import dev.cast.api.db.ReleaseRow;
import dev.cast.api.errors.ApiException;
import dev.cast.api.model.ConfigRolloutBody;
import dev.cast.api.model.DeployBody;
import dev.cast.api.model.DeploymentView;
import dev.cast.api.model.RollbackBody;
import dev.cast.api.model.ServiceControlBody;
import dev.cast.workflows.config.ConfigRolloutRequest;
import dev.cast.workflows.config.ConfigRolloutWorkflow;
import dev.cast.workflows.deploy.DeployRequest;
import dev.cast.workflows.deploy.DeployWorkflow;
import dev.cast.workflows.deploy.Strategy;
import dev.cast.workflows.rollback.RollbackRequest;
import dev.cast.workflows.rollback.RollbackWorkflow;
import dev.cast.workflows.service.ServiceControlRequest;
import dev.cast.workflows.service.ServiceControlWorkflow;
import dev.cast.workflows.shared.DeploymentState;
import dev.cast.workflows.shared.Limits;
import dev.cast.workflows.shared.ReleaseRef;
import dev.cast.workflows.shared.WorkflowIds;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the api does with deployments: deploy, roll back, operate services, and promote, pause,
 * resume or cancel a running deploy. It checks the request, picks the hosts ({@link Targets}),
 * starts the workflow ({@link DeploymentLauncher}) and answers for it ({@link DeploymentStatus}).
 */
public final class DeploymentService {
  private static final Logger log = LoggerFactory.getLogger(DeploymentService.class);

  private final Supplier<WorkflowClient> client;
  private final ReleaseStore releases;
  private final DeploymentDao deployments;
  private final InstanceDao instances;
  private final Targets targets;
  private final DeploymentLauncher launcher;
  private final DeploymentStatus status;
  private final Duration defaultDeadline;
  private final Duration defaultProgressDeadline;
  private final Duration unreachableAfter;
  private final int keepReleases;
  private final Interruptions interruptions;

  public DeploymentService(
      Supplier<WorkflowClient> client,
      ReleaseStore releases,
      DeploymentDao deployments,
      InstanceDao instances,
      Targets targets,
      DeploymentLauncher launcher,
      DeploymentStatus status,
      DeploySettings defaults) {
    this.client = client;
    this.releases = releases;
    this.deployments = deployments;
    this.instances = instances;
    this.targets = targets;
    this.launcher = launcher;
    this.status = status;
    this.defaultDeadline = millis(defaults.getHealthyDeadline());
    this.defaultProgressDeadline = millis(defaults.getProgressDeadline());
    this.unreachableAfter = millis(defaults.getUnreachableAfter());
    this.keepReleases = defaults.getKeepReleases();
    this.interruptions = new Interruptions(this, deployments, instances, releases);
  }

  /** See {@link Targets#holdUntilHostsReady}. */
  public void holdUntilHostsReady(CompletableFuture<?> ready) {
    targets.holdUntilHostsReady(ready);
  }

  /** A deployment as it stands now (404 DEPLOYMENT_NOT_FOUND). */
  public DeploymentView view(String id) {
    return status.view(id);
  }

  /** An app's deployments, newest first. */
  public List<DeploymentView> list(String app) {
    releases.requireApp(app);
    return status.list(app);
  }

  /**
   * Deployments of every app, newest first: of {@code app} and in {@code state} when given (400 for
   * a state that is none), at most {@code limit} (1 to 1,000), those {@code reaches} lets the
   * caller see.
   */
  public List<DeploymentView> listAll(
      String app, String state, int limit, java.util.function.Predicate<String> reaches) {
    if (state != null
        && java.util.Arrays.stream(DeploymentState.values())
            .noneMatch(s -> s.name().equals(state))) {
      throw ApiException.badRequest(
          "BAD_STATE",
          "no deployment state \""
              + state
              + "\"; use one of "
              + java.util.Arrays.toString(DeploymentState.values()));
    }
    if (limit < 1 || limit > 1000) {
      throw ApiException.badRequest("BAD_LIMIT", "limit must be between 1 and 1000, not " + limit);
    }
    return status.list(app, state, limit).stream().filter(d -> reaches.test(d.app())).toList();
  }

  /** Marks deployments whose workflows vanished while the api was down. */
  public void reconcile() {
    status.reconcile();
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
    List<String> hosts = targets.targets(body.hosts(), body.selector());
    Duration healthy = deadline(healthyDeadline(body));
    Strategy strategy =
        Strategies.parse(body.strategy(), hosts.size(), healthy, defaultProgressDeadline);
    return startDeploy(
        app,
        release,
        hosts,
        new DeployPlan(strategy, healthy.toMillis()),
        body.reason(),
        who,
        Link.NONE);
  }

  /**
   * Starts a deploy of {@code release} to {@code hosts} as {@code plan} says, and keeps the plan
   * with the deployment so that it can be started again the same way should its workflow be lost.
   */
  DeploymentRow startDeploy(
      String app,
      ReleaseRow release,
      List<String> hosts,
      DeployPlan plan,
      String reason,
      String who,
      Link link) {
    Strategy strategy = plan.strategy();
    return launcher.start(
        new DeploymentLauncher.About(
            "deploy", null, app, release.version(), hosts, strategy, reason, who),
        WorkflowIds.deploy(app),
        launch ->
            link.around(
                launch.id(),
                () -> {
                  deployments.setPlan(launch.id(), plan);
                  DeployWorkflow stub = launch.stub(DeployWorkflow.class);
                  return WorkflowClient.start(
                      stub::run,
                      new DeployRequest(
                          launch.id(),
                          launcher.ref(release),
                          hosts,
                          plan.healthyDeadlineMillis(),
                          keepReleases,
                          strategy,
                          unreachableAfter.toMillis()));
                }));
  }

  /** The plan of a deploy recorded before plans were kept: the defaults, one host at a time. */
  DeployPlan defaultPlan(int hosts) {
    return new DeployPlan(
        Strategies.parse(null, hosts, defaultDeadline, defaultProgressDeadline),
        defaultDeadline.toMillis());
  }

  /**
   * Rolls an app back: each host to the version named, or to its own previous release (as its agent
   * last reported). Hosts already on their target are left out; a rollback that would change no
   * host is refused rather than reported as done.
   */
  public DeploymentRow rollback(String app, RollbackBody body, String who) {
    return rollback(app, body, who, Link.NONE);
  }

  /** As {@link #rollback(String, RollbackBody, String)}, with {@code link} run as it starts. */
  DeploymentRow rollback(String app, RollbackBody body, String who, Link link) {
    releases.requireApp(app);
    RollbackBody request = body == null ? new RollbackBody(null, null, null, null, null) : body;
    String named = request.version() != null ? Names.version(request.version()) : null;
    if (named != null) {
      releases.require(app, named);
    }
    RequestChecks.reason(request.reason());
    RequestChecks.hosts(request.hosts());
    Map<String, String> versionOf = targets.rollbackVersions(app, named, request.hosts());
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
            perHost.put(host, launcher.ref(releases.require(app, version)));
          }
        });
    List<String> hosts = List.copyOf(versionOf.keySet());
    String versions = String.join(", ", counts.keySet());
    return launcher.start(
        new DeploymentLauncher.About(
            "rollback",
            null,
            app,
            versions,
            hosts,
            maxParallel == 0 ? null : Map.of("maxParallel", maxParallel),
            request.reason(),
            who),
        WorkflowIds.rollback(app),
        launch ->
            link.around(
                launch.id(),
                () -> {
                  RollbackWorkflow stub = launch.stub(RollbackWorkflow.class);
                  return WorkflowClient.start(
                      stub::run,
                      new RollbackRequest(
                          launch.id(),
                          launcher.ref(release),
                          hosts,
                          deadline,
                          maxParallel,
                          unreachableAfter.toMillis(),
                          perHost.isEmpty() ? null : perHost,
                          0,
                          Boolean.TRUE.equals(request.rerender())));
                }));
  }

  /**
   * Starts a config rollout of the app: each target host re-renders the templates of the release it
   * runs and applies what changed (see {@code ConfigRolloutWorkflow}); a host whose release has no
   * templates reports its config unchanged.
   */
  public DeploymentRow configRollout(String app, ConfigRolloutBody body, String who) {
    releases.requireApp(app);
    ConfigRolloutBody request =
        body == null ? new ConfigRolloutBody(null, null, null, null, null) : body;
    RequestChecks.reason(request.reason());
    RequestChecks.selector(request.selector());
    RequestChecks.hosts(request.hosts());
    Map<String, String> versionOf = targets.configTargets(app, request.hosts(), request.selector());
    Map<String, ReleaseRow> rows = new LinkedHashMap<>();
    for (String version : versionOf.values()) {
      rows.computeIfAbsent(version, v -> releases.require(app, v));
    }
    List<String> hosts = List.copyOf(versionOf.keySet());
    Duration healthy =
        deadline(
            healthyDeadline(
                new DeployBody(
                    null, null, null, request.healthyDeadline(), null, request.strategy())));
    Strategy strategy =
        Strategies.parse(request.strategy(), hosts.size(), healthy, defaultProgressDeadline);
    Map<String, Long> counts = new LinkedHashMap<>();
    versionOf.values().forEach(v -> counts.merge(v, 1L, Long::sum));
    String main =
        counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    Map<String, ReleaseRef> perHost = new LinkedHashMap<>();
    versionOf.forEach(
        (host, version) -> {
          if (!version.equals(main)) {
            perHost.put(host, launcher.ref(rows.get(version)));
          }
        });
    return launcher.start(
        new DeploymentLauncher.About(
            "config",
            null,
            app,
            String.join(", ", counts.keySet()),
            hosts,
            strategy,
            request.reason(),
            who),
        WorkflowIds.config(app),
        launch -> {
          ConfigRolloutWorkflow stub = launch.stub(ConfigRolloutWorkflow.class);
          return WorkflowClient.start(
              stub::run,
              new ConfigRolloutRequest(
                  launch.id(),
                  launcher.ref(rows.get(main)),
                  perHost.isEmpty() ? null : perHost,
                  hosts,
                  healthy.toMillis(),
                  strategy,
                  unreachableAfter.toMillis()));
        });
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

  /**
   * Resumes a deploy: a running one that is paused goes on (the resume signal); an INTERRUPTED one
   * (its workflow was lost) starts again as a new deployment that follows it. The deployment that
   * now runs.
   */
  public DeploymentView resume(String id, String who) {
    DeploymentRow row = status.find(id);
    if (status.picture(row).progress().state() == DeploymentState.INTERRUPTED) {
      return status.view(interruptions.resume(status.find(id), who));
    }
    return signal(id, "resume");
  }

  /**
   * Puts the hosts an INTERRUPTED deployment switched back on their previous release: the rollback
   * that does it, or the deployment itself, ended, when no host had switched (409 NOT_INTERRUPTED
   * for any other deployment).
   */
  public DeploymentView revert(String id, String who) {
    DeploymentRow row = status.find(id);
    status.picture(row); // a deployment whose workflow vanished turns INTERRUPTED here
    return status.view(interruptions.revert(status.find(id), who));
  }

  /** Sends promote, pause or resume to a running deploy, or cancels it. */
  public DeploymentView signal(String id, String action) {
    DeploymentRow row = status.find(id);
    if (!"deploy".equals(row.kind()) && !"config".equals(row.kind()) && !action.equals("cancel")) {
      throw ApiException.conflict(
          "NOT_A_DEPLOY",
          id + " is a " + row.kind() + "; only deploys and config rollouts take " + action);
    }
    DeploymentStatus.Picture now = status.picture(row);
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
    return status.view(id);
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
    List<String> switched =
        new ArrayList<>(Interruptions.switched(row, instances.current(row.app())));
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
    return status.view(row.id());
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
    Targets.requireService(release, service);
    List<String> hosts = targets.serviceTargets(app, running, request.hosts());
    targets.refuseDisabled(app, service, action, hosts);
    int maxParallel =
        request.maxParallel() == null
            ? 1
            : RequestChecks.count("maxParallel", request.maxParallel(), 1, Limits.MAX_HOSTS);
    long deadline = deadline(request.healthyDeadline()).toMillis();
    return launcher.start(
        new DeploymentLauncher.About(
            action,
            service,
            app,
            release.version(),
            hosts,
            Map.of("maxParallel", maxParallel),
            request.reason(),
            who),
        null,
        launch -> {
          ServiceControlWorkflow stub = launch.stub(ServiceControlWorkflow.class);
          return WorkflowClient.start(
              stub::run,
              new ServiceControlRequest(
                  launch.id(), app, service, action, hosts, maxParallel, deadline));
        });
  }

  private Duration deadline(String text) {
    if (text == null) {
      return defaultDeadline;
    }
    return RequestChecks.duration(
        "healthyDeadline", text, Limits.MIN_HEALTHY_DEADLINE, Limits.MAX_HEALTHY_DEADLINE);
  }
}
