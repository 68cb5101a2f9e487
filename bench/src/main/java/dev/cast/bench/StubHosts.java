package dev.cast.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cast.workflows.host.ActivateRequest;
import dev.cast.workflows.host.Activation;
import dev.cast.workflows.host.ConfigApply;
import dev.cast.workflows.host.ConfigPlan;
import dev.cast.workflows.host.ConfigRequest;
import dev.cast.workflows.host.HealthReport;
import dev.cast.workflows.host.HealthRequest;
import dev.cast.workflows.host.HookRequest;
import dev.cast.workflows.host.PruneRequest;
import dev.cast.workflows.host.PruneResult;
import dev.cast.workflows.host.ReleaseActivities;
import dev.cast.workflows.host.RevertRequest;
import dev.cast.workflows.host.StageRequest;
import dev.cast.workflows.host.StagedRelease;
import dev.cast.workflows.host.SwitchRequest;
import dev.cast.workflows.shared.TaskQueues;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Hosts with nothing behind them: a Temporal worker per host on {@code host-<name>} whose release
 * activities only remember the current version and answer at once, registered with the api like an
 * agent. Deploying to them measures the control plane alone (api, Temporal, the workflow, the
 * catalog), without the hosts' own work competing for this machine's cores.
 */
final class StubHosts implements BenchHosts {
  private final BenchServer server;
  private final List<WorkerFactory> factories = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, String> tokens = new ConcurrentHashMap<>();
  // Heartbeats, as agents send them: the api tells a rollout a host that stays silent for long is
  // unreachable, and a deploy to a thousand hosts on two cores takes longer than that.
  private final ScheduledExecutorService heartbeats =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "stub-hosts-heartbeats");
            t.setDaemon(true);
            return t;
          });
  private int size;

  StubHosts(BenchServer server) {
    this.server = server;
    heartbeats.scheduleWithFixedDelay(this::heartbeat, 40, 40, TimeUnit.SECONDS);
  }

  private void heartbeat() {
    for (String name : List.copyOf(tokens.keySet())) {
      try {
        register(name);
      } catch (Exception e) {
        System.err.println("stub host " + name + ": heartbeat failed: " + e);
      }
    }
  }

  @Override
  public String mode() {
    return "stub hosts: a Temporal worker per host-<name> queue whose activities answer at once"
        + " (no agent, no processes): the control plane alone";
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public void growTo(int count) throws Exception {
    if (count <= size) {
      return;
    }
    // A started factory takes no more workers: one factory per growth.
    WorkerFactory factory = WorkerFactory.newInstance(server.app.runtime().temporal().client());
    List<String> names = BenchHosts.names(count);
    for (String name : names.subList(size, count)) {
      // One activity poller per host queue: a thousand hosts in one JVM with the default five each
      // would be five thousand threads long-polling the embedded server.
      factory
          .newWorker(
              TaskQueues.host(name),
              WorkerOptions.newBuilder().setMaxConcurrentActivityTaskPollers(1).build())
          .registerActivitiesImplementations(new Activities(name));
      register(name);
    }
    factory.start();
    factories.add(factory);
    size = count;
  }

  private void register(String name) throws Exception {
    Map<String, Object> body =
        Map.of(
            "address", "127.0.0.1", "agentVersion", "stub", "labels", Map.of(), "facts", Map.of());
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port + "/v1/hosts/" + name))
            .header("Content-Type", "application/json")
            .header(
                "Authorization",
                "Bearer " + tokens.getOrDefault(name, server.app.runtime().agentToken()))
            .PUT(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
            .build();
    HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
    int status = response.statusCode();
    BenchServer.require(status / 100 == 2, "registering stub host " + name + " answered " + status);
    // The agent token registers a host once; its own token, in the answer, heartbeats.
    response.headers().firstValue("Cast-Host-Token").ifPresent(t -> tokens.put(name, t));
    tokens.putIfAbsent(name, server.app.runtime().agentToken());
  }

  @Override
  public void close() {
    heartbeats.shutdownNow();
    for (WorkerFactory factory : factories) {
      factory.shutdownNow();
    }
    factories.clear();
  }

  /** A host's release activities with nothing to do: they track the current version only. */
  private static final class Activities implements ReleaseActivities {
    private final String host;
    private final Map<String, String> current = new ConcurrentHashMap<>();

    Activities(String host) {
      this.host = host;
    }

    @Override
    public StagedRelease stageRelease(StageRequest request) {
      return new StagedRelease(request.version(), current.get(request.app()), false);
    }

    @Override
    public Activation activateRelease(ActivateRequest request) {
      String previous = current.put(request.app(), request.version());
      return new Activation(host, "127.0.0.1", previous, List.of(), null);
    }

    @Override
    public Activation switchRelease(SwitchRequest request) {
      return activateRelease(request.activation());
    }

    @Override
    public HealthReport awaitHealthy(HealthRequest request) {
      return new HealthReport(List.of());
    }

    @Override
    public void runHook(HookRequest request) {}

    @Override
    public void revertRelease(RevertRequest request) {
      if (request.previousVersion() == null) {
        current.remove(request.app());
      } else {
        current.put(request.app(), request.previousVersion());
      }
    }

    @Override
    public PruneResult pruneReleases(PruneRequest request) {
      return new PruneResult(List.of());
    }

    @Override
    public ConfigPlan renderConfig(ConfigRequest request) {
      return new ConfigPlan(
          current.get(request.app()), List.of(), "none", 0, "a stub host renders no config");
    }

    @Override
    public Activation applyConfig(ConfigApply request) {
      return new Activation(host, "127.0.0.1", null, List.of(), null);
    }

    @Override
    public void revertConfig(ConfigApply request) {}
  }
}
