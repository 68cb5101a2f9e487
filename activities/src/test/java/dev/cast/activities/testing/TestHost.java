package dev.cast.activities.testing;

import dev.cast.activities.HostRuntime;
import dev.cast.activities.bundle.BundleCache;
import dev.cast.activities.host.AppLayout;
import dev.cast.activities.host.HostSettings;
import dev.cast.activities.process.RunFiles;
import dev.cast.activities.process.RunRecord;
import dev.cast.activities.supervisor.Supervisor;
import dev.cast.activities.supervisor.SupervisorSettings;
import dev.cast.bundle.BundleInfo;
import dev.cast.bundle.BundleInspector;
import dev.cast.bundle.BundlePacker;
import dev.cast.workflows.host.ActivateRequest;
import dev.cast.workflows.host.Activation;
import dev.cast.workflows.host.ReleaseActivities;
import dev.cast.workflows.host.ServiceActivities;
import dev.cast.workflows.host.ServiceCommand;
import dev.cast.workflows.host.ServiceStatus;
import dev.cast.workflows.host.StageRequest;
import dev.cast.workflows.host.StagedRelease;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * A host agent on a temp dir: the real {@link HostRuntime} (supervisor and activities) behind a
 * {@link TestActivityEnvironment}, bundles packed from cast.yml text and served by a {@link
 * LocalFetcher}. {@link #restartAgent()} plays an agent that dies and comes back on the same data
 * dir. {@link #close()} kills every service it finds, so no process outlives a test.
 */
public final class TestHost implements AutoCloseable {
  public static final int PORT_FROM = 21000;
  public static final int PORT_TO = 21999;

  /** Short backoffs, so restart tests take a second, not minutes. */
  public static final SupervisorSettings FAST =
      new SupervisorSettings(
          Duration.ofMillis(100),
          Duration.ofSeconds(2),
          Duration.ofSeconds(60),
          5,
          Duration.ofSeconds(60),
          10L * 1024 * 1024,
          5);

  public final Path root;
  public final HostSettings settings;
  public final SupervisorSettings supervisorSettings;
  public final LocalFetcher fetcher = new LocalFetcher();
  public TestActivityEnvironment env;
  public HostRuntime runtime;
  public ReleaseActivities activities;
  public ServiceActivities services;
  private final Function<HostSettings, BundleCache> caches;
  private boolean agentOpen;

  public TestHost(Path root) throws IOException {
    this(root, FAST);
  }

  public TestHost(Path root, SupervisorSettings supervisorSettings) throws IOException {
    this(root, supervisorSettings, null);
  }

  /** A host whose bundle cache {@code caches} builds, e.g. one fetching over BitTorrent. */
  public TestHost(Path root, Function<HostSettings, BundleCache> caches) throws IOException {
    this(root, FAST, caches);
  }

  private TestHost(
      Path root, SupervisorSettings supervisorSettings, Function<HostSettings, BundleCache> caches)
      throws IOException {
    this.root = root;
    this.supervisorSettings = supervisorSettings;
    this.settings =
        new HostSettings(
            "test-host",
            "127.0.0.1",
            root.resolve("data"),
            PORT_FROM,
            PORT_TO,
            1 << 26,
            BundleInspector.DEFAULT_MAX_ENTRIES,
            true,
            HostSettings.DEFAULT_DISK_RESERVE);
    this.caches = caches != null ? caches : s -> new BundleCache(s.layout(), fetcher);
    openAgent();
  }

  private void openAgent() throws IOException {
    runtime = HostRuntime.open(settings, supervisorSettings, caches.apply(settings));
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(runtime.releaseActivities(), runtime.serviceActivities());
    ActivityOptions options =
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofMinutes(2))
            .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
            .build();
    activities = env.newActivityStub(ReleaseActivities.class, options);
    services = env.newActivityStub(ServiceActivities.class, options);
    agentOpen = true;
  }

  /**
   * The agent dies (its supervisor stops watching; services keep running) and a new one starts on
   * the same data dir.
   */
  public void restartAgent() throws IOException {
    stopAgent();
    openAgent();
  }

  /** The agent dies, as far as its services can tell; {@link #startAgent()} brings a new one. */
  public void stopAgent() {
    if (agentOpen) {
      agentOpen = false;
      runtime.close();
      env.close();
    }
  }

  public void startAgent() throws IOException {
    openAgent();
  }

  public Supervisor supervisor() {
    return runtime.supervisor();
  }

  public ServiceStatus status(String app, String service) {
    return supervisor().status(app, service).orElseThrow();
  }

  public ServiceStatus control(String app, String service, String action) {
    return services.controlService(new ServiceCommand("op-1", app, service, action));
  }

  public AppLayout app(String app) {
    return settings.layout().app(app);
  }

  public static String bundlePath(String app, String version) {
    return "/v1/apps/" + app + "/releases/" + version + "/bundle";
  }

  /**
   * Packs a bundle of {@code app} at {@code version} from cast.yml text (its {@code version:} line
   * is overridden) and extra files (names ending in .sh are made executable), and serves it.
   */
  public BundleInfo pack(String app, String version, String castYml, Map<String, String> files)
      throws Exception {
    Path source = root.resolve("src").resolve(app + "-" + version);
    Files.createDirectories(source);
    Files.writeString(source.resolve("cast.yml"), castYml);
    for (Map.Entry<String, String> f : files.entrySet()) {
      Path file = source.resolve(f.getKey());
      Files.createDirectories(file.getParent());
      Files.writeString(file, f.getValue());
      if (f.getKey().endsWith(".sh")) {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
    }
    Path out = root.resolve("packed").resolve(app + "-" + version + ".tar.gz");
    BundleInfo info = BundlePacker.pack(source, out, version);
    fetcher.serve(bundlePath(app, version), out);
    return info;
  }

  public StagedRelease stage(String app, String version, String castYml) throws Exception {
    return stage(app, version, castYml, Map.of());
  }

  public StagedRelease stage(String app, String version, String castYml, Map<String, String> files)
      throws Exception {
    BundleInfo info = pack(app, version, castYml, files);
    return activities.stageRelease(
        new StageRequest(app, version, info.sha256(), info.size(), bundlePath(app, version)));
  }

  public Activation deploy(String app, String version, String castYml) throws Exception {
    stage(app, version, castYml);
    return activate(app, version);
  }

  public Activation activate(String app, String version) {
    return activities.activateRelease(new ActivateRequest("d-" + version, app, version, false));
  }

  public RunRecord runRecord(String app, String service) throws IOException {
    return RunFiles.read(app(app).runFile(service)).orElseThrow();
  }

  @Override
  public void close() throws IOException {
    boolean envOpen = agentOpen;
    if (agentOpen) {
      agentOpen = false;
      runtime.close();
    }
    try {
      Path apps = settings.dataDir().resolve("apps");
      if (Files.isDirectory(apps)) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(apps)) {
          for (Path dir : dirs) {
            RunFiles.list(dir.resolve("run")).values().forEach(r -> Procs.killGroup(r.pid()));
          }
        }
      }
    } finally {
      Procs.killAllUnder(root);
      if (envOpen) {
        env.close();
      }
    }
  }
}
