package dev.cast.api;

import com.codahale.metrics.health.HealthCheck;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.cast.api.auth.AgentTokenFilter;
import dev.cast.api.auth.AgentTokens;
import dev.cast.api.auth.HostTokens;
import dev.cast.api.auth.Tokens;
import dev.cast.api.auth.Trust;
import dev.cast.api.console.ConsoleAssets;
import dev.cast.api.console.ConsoleServlet;
import dev.cast.api.core.AppCatalog;
import dev.cast.api.core.CatalogActivitiesImpl;
import dev.cast.api.core.ConfigWatch;
import dev.cast.api.core.DeploymentConfigs;
import dev.cast.api.core.DeploymentLauncher;
import dev.cast.api.core.DeploymentService;
import dev.cast.api.core.DeploymentStatus;
import dev.cast.api.core.Distribution;
import dev.cast.api.core.ExposureWarnings;
import dev.cast.api.core.HostReports;
import dev.cast.api.core.HostWatchdog;
import dev.cast.api.core.LogProxy;
import dev.cast.api.core.ReleaseStore;
import dev.cast.api.core.ReleaseUrls;
import dev.cast.api.core.StagingBoard;
import dev.cast.api.core.Targets;
import dev.cast.api.db.ConfigDao;
import dev.cast.api.db.Database;
import dev.cast.api.db.DeploymentDao;
import dev.cast.api.db.HostDao;
import dev.cast.api.db.InstanceDao;
import dev.cast.api.db.ReleaseDao;
import dev.cast.api.db.ServiceStatusDao;
import dev.cast.api.db.WatchDao;
import dev.cast.api.errors.ProblemErrorHandler;
import dev.cast.api.errors.ProblemMappers;
import dev.cast.api.metrics.CastMetrics;
import dev.cast.api.metrics.FleetCollector;
import dev.cast.api.openapi.ContractAnnotationsHidden;
import dev.cast.api.registry.AgentResource;
import dev.cast.api.registry.Blocking;
import dev.cast.api.registry.BlockingKvReads;
import dev.cast.api.registry.Catalog;
import dev.cast.api.registry.CatalogResource;
import dev.cast.api.registry.HealthResource;
import dev.cast.api.registry.KvResource;
import dev.cast.api.registry.Registry;
import dev.cast.api.registry.SessionResource;
import dev.cast.api.registry.TxnResource;
import dev.cast.api.resources.AppsResource;
import dev.cast.api.resources.ConfigWatchResource;
import dev.cast.api.resources.DeploymentsResource;
import dev.cast.api.resources.DistributionResource;
import dev.cast.api.resources.HostsResource;
import dev.cast.api.resources.OpenApiResource;
import dev.cast.api.resources.ServicesResource;
import dev.cast.api.resources.StagingResource;
import dev.cast.api.temporal.ControlWorker;
import dev.cast.api.temporal.TemporalEngine;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.ServerLifecycleListener;
import io.prometheus.client.servlet.jakarta.exporter.MetricsServlet;
import io.temporal.common.interceptors.WorkerInterceptor;
import jakarta.servlet.DispatcherType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;
import org.jdbi.v3.core.Jdbi;

/**
 * The Cast api: REST resources over the SQLite catalog, the connection to Temporal (embedded by
 * default), and the control worker that runs the workflows. Subclasses add processes that share the
 * JVM, such as an embedded host agent.
 */
public class CastApplication<C extends CastConfiguration> extends Application<C> {
  private volatile Runtime runtime;
  private volatile Path dataDir;

  /** The data dir of the running api (its catalog, bundles, admin-token). */
  public Path dataDir() {
    return dataDir;
  }

  /** What a running api offers to code that extends it. */
  public record Runtime(
      TemporalEngine temporal,
      Jdbi jdbi,
      DeploymentService deployments,
      String agentToken,
      Tokens tokens) {}

  @Override
  public String getName() {
    return "cast";
  }

  @Override
  public void initialize(Bootstrap<C> bootstrap) {
    bootstrap.setConfigurationSourceProvider(
        new SubstitutingSourceProvider(
            bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)));
  }

  @Override
  public void run(C config, Environment env) throws Exception {
    if (config.getServerFactory() instanceof DefaultServerFactory server) {
      // Our own mappers render every error as application/problem+json.
      server.setRegisterDefaultExceptionMappers(false);
      // TRACE and QUERY reach Jersey too, which has no resource method for them: a 405 naming the
      // methods the path has (Allow, RFC 9110), where Dropwizard's filter answers a bare 405.
      Set<String> methods = new HashSet<>(server.getAllowedMethods());
      methods.addAll(Set.of("TRACE", "QUERY"));
      server.setAllowedMethods(methods);
    }
    if (config.getServerFactory() instanceof AbstractServerFactory server) {
      // A followed log is written a line at a time: without a sync flush, gzip (which a browser
      // always asks for) would hold the lines back until its buffer fills.
      server.getGzipFilterFactory().setSyncFlush(true);
    }
    // Errors Jetty answers itself (414, an ambiguous URI, a bad header) are problem+json too.
    env.lifecycle()
        .addEventListener(
            new LifeCycle.Listener() {
              @Override
              public void lifeCycleStarting(LifeCycle event) {
                if (event instanceof Server server) {
                  server.setErrorHandler(new ProblemErrorHandler());
                  env.getApplicationContext().setErrorHandler(new ProblemErrorHandler());
                }
              }
            });
    ObjectMapper json = env.getObjectMapper();
    json.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    // "version": 1 where a string is expected is refused, not read as "1".
    json.coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    // "enabled": 0 where a boolean is expected is refused too, not read as false.
    json.coercionConfigFor(LogicalType.Boolean)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
    ExposureWarnings.log(config);
    Path dataDir = Path.of(config.getDataDir()).toAbsolutePath();
    this.dataDir = dataDir;
    Jdbi jdbi = Database.open(dataDir.resolve(config.getDatabase().getPath()), env.lifecycle());
    ReleaseDao releaseDao = new ReleaseDao(jdbi);
    DeploymentDao deploymentDao = new DeploymentDao(jdbi);
    HostDao hostDao = new HostDao(jdbi);
    InstanceDao instanceDao = new InstanceDao(jdbi);
    ServiceStatusDao statusDao = new ServiceStatusDao(jdbi);
    ConfigDao configDao = new ConfigDao(jdbi);

    // The registry (Consul's API): key/value store, transactions, sessions, catalog and health
    Blocking blocking = new Blocking();
    Registry registry = new Registry(jdbi, blocking);
    env.lifecycle().manage(registry);
    Catalog registryCatalog =
        new Catalog(
            jdbi,
            hostDao,
            releaseDao,
            registry,
            json,
            Duration.ofMillis(config.getAgents().getDownAfter().toMilliseconds()),
            Duration.ofMillis(config.getRegistry().getCatalogRemoveAfter().toMilliseconds()));
    env.lifecycle().manage(registryCatalog);
    env.jersey().register(new CatalogResource(registryCatalog, json));
    env.jersey().register(new HealthResource(registryCatalog));
    env.jersey().register(new AgentResource(registryCatalog, json));
    long maxValue = config.getRegistry().getMaxValueSize().toBytes();
    env.jersey().register(new KvResource(registry, json, maxValue));
    env.jersey().register(new TxnResource(registry, json, maxValue));
    env.jersey()
        .register(new SessionResource(registry, json, host -> hostDao.find(host).isPresent()));

    TemporalEngine temporal =
        new TemporalEngine(config.getTemporal(), Path.of(config.getDataDir()));
    env.lifecycle().manage(temporal);
    CatalogActivitiesImpl catalog =
        new CatalogActivitiesImpl(deploymentDao, instanceDao, configDao, registryCatalog::refresh);
    env.lifecycle()
        .manage(
            new ControlWorker(
                temporal, catalog, config.getTemporal().sticky(), workflowInterceptors()));

    ReleaseStore releases =
        new ReleaseStore(
            dataDir.resolve("bundles"),
            config.getBundles().getMaxSize().toBytes(),
            config.getBundles().getMaxEntries(),
            config.getBundles().getMaxConcurrentInspections(),
            releaseDao,
            json,
            config.getBundles().getUploadRate().toBytes());
    // Signed once auth is set up, below: nothing is handed out before the server starts.
    ReleaseUrls urls = new ReleaseUrls();
    Distribution distribution =
        new Distribution(
            releases,
            releaseDao,
            urls,
            dataDir.resolve("native"),
            (int) Math.min(Integer.MAX_VALUE, config.getBundles().getUploadRate().toBytes()));
    distribution.listenOn(ExposureWarnings.restBindHost(config));
    env.lifecycle().manage(distribution);
    // Prometheus' text format on the admin port: Cast's own figures and every Dropwizard metric.
    CastMetrics metrics = new CastMetrics(env.metrics());
    StagingBoard staging = new StagingBoard(metrics::staged);
    env.jersey().register(new StagingResource(hostDao, staging));
    DeploymentStatus status =
        new DeploymentStatus(temporal::client, deploymentDao, temporal::workflowUrl, staging);
    DeploymentLauncher launcher =
        new DeploymentLauncher(
            temporal::client, deploymentDao, instanceDao, status, urls, temporal::searchable);
    metrics.add(
        new FleetCollector(
            hostDao,
            statusDao,
            Duration.ofMillis(config.getAgents().getDownAfter().toMilliseconds()),
            blocking::waiting,
            distribution::counters));
    launcher.measuredBy(metrics);
    catalog.measuredBy(metrics);
    env.admin()
        .addServlet("prometheus", new MetricsServlet(metrics.registry()))
        .addMapping("/metrics");
    DeploymentService deployments =
        new DeploymentService(
            temporal::client,
            releases,
            deploymentDao,
            instanceDao,
            new Targets(hostDao, instanceDao, statusDao),
            launcher,
            status,
            config.getDeploy());

    // A host silent for longer than both the api shows it up and a rollout waits for an agent
    // to pick up work is unreachable for the rollouts that wait on it.
    Duration silentAfter =
        Duration.ofMillis(
            Math.max(
                config.getAgents().getDownAfter().toMilliseconds(),
                config.getDeploy().getUnreachableAfter().toMilliseconds()));
    env.lifecycle().manage(new HostWatchdog(temporal::client, deploymentDao, hostDao, silentAfter));
    env.jersey()
        .register(
            new AppsResource(
                releases,
                new AppCatalog(releases, distribution, instanceDao, statusDao),
                distribution,
                deployments,
                instanceDao));
    String agentToken = AgentTokens.resolve(config.getAgents().getToken(), dataDir);
    HostTokens hostTokens = new HostTokens(jdbi);
    env.jersey().register(new AgentTokenFilter(agentToken, hostTokens));
    Trust trust =
        Trust.install(config, env, jdbi, json, dataDir, agentToken, hostTokens, deploymentDao);
    env.servlets()
        .addFilter(
            "registry-blocking-reads",
            new BlockingKvReads(registry, json, trust.tokens(), config.getAuth().isEnabled()))
        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/v1/kv/*");
    urls.signWith(trust.caps());
    LogProxy logs = new LogProxy(hostDao, agentToken);
    // Followers never finish by themselves: end them as soon as the server begins to stop,
    // before Jetty waits for in-flight requests.
    env.lifecycle()
        .addEventListener(
            new LifeCycle.Listener() {
              @Override
              public void lifeCycleStopping(LifeCycle event) {
                logs.stop();
              }
            });
    env.jersey().register(new ServicesResource(releases, deployments, statusDao, logs));
    ConfigWatch configWatch =
        new ConfigWatch(new WatchDao(jdbi), configDao, registry, registryCatalog, deployments);
    env.lifecycle().manage(configWatch);
    env.jersey().register(new ConfigWatchResource(releases, configWatch));
    env.jersey()
        .register(new DeploymentsResource(deployments, new DeploymentConfigs(status, configDao)));
    env.jersey().register(new DistributionResource(distribution));
    env.jersey().register(new OpenApiResource(env.jersey().getResourceConfig(), version()));
    env.jersey().register(new ContractAnnotationsHidden());
    env.jersey()
        .register(
            new HostsResource(
                hostDao,
                statusDao,
                new HostReports(instanceDao, deploymentDao),
                hostTokens,
                Duration.ofMillis(config.getAgents().getDownAfter().toMilliseconds()),
                registryCatalog::refresh));
    ProblemMappers.all().forEach(env.jersey()::register);
    // The web console: its page at / and its files under /console/, public and outside Jersey.
    env.servlets()
        .addServlet("console", new ConsoleServlet(ConsoleAssets.packaged()))
        .addMapping("", ConsoleServlet.PREFIX + "/*");
    // Jersey's response buffer stays (8 KiB): a small answer goes out whole, with its
    // Content-Length, in one write, not as a chunk and then an empty last chunk. A followed log
    // (ChunkedOutput) still goes line by line: it flushes each chunk.
    // An error status without a body (the registry's 404, as Consul's) stays without one, rather
    // than going through the container's error page.
    env.jersey().property("jersey.config.servlet.response.setStatusOverSendError", true);
    env.healthChecks()
        .register(
            "catalog",
            new HealthCheck() {
              @Override
              protected Result check() {
                jdbi.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one());
                return Result.healthy();
              }
            });

    runtime = new Runtime(temporal, jdbi, deployments, agentToken, trust.tokens());
    env.lifecycle()
        .addServerLifecycleListener(
            new ServerLifecycleListener() {
              @Override
              public void serverStarted(Server server) {
                deployments.reconcile();
                distribution.start(getLocalPort(server));
                started(config, env, runtime, getLocalPort(server));
              }
            });
    extend(config, env, runtime);
  }

  /** Hook for subclasses: register more managed objects (they start after the api's). */
  protected void extend(C config, Environment env, Runtime runtime) throws Exception {}

  /** Interceptors around the control worker's workflows: none; a test may inject faults here. */
  protected List<WorkerInterceptor> workflowInterceptors() {
    return List.of();
  }

  /** Hook for subclasses: the server is up and listens on {@code port}. */
  protected void started(C config, Environment env, Runtime runtime, int port) {}

  /** The version this build says it is, for the contract's {@code info}. */
  private static String version() {
    String version = CastApplication.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }

  public Runtime runtime() {
    return runtime;
  }

  public static void main(String[] args) throws Exception {
    new CastApplication<CastConfiguration>().run(args);
  }
}
