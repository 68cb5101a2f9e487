package dev.cast.api.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cast.api.CastConfiguration;
import dev.cast.api.db.AuditDao;
import dev.cast.api.db.DeploymentDao;
import dev.cast.api.db.DeploymentRow;
import dev.cast.api.db.TokenDao;
import dev.cast.api.resources.AuditResource;
import dev.cast.api.resources.TokensResource;
import dev.cast.api.resources.WhoAmIResource;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires who may do what: the token store (with the first admin token), the bundle capabilities, the
 * auth filter, the audit log with its retention, and the tokens, whoami and audit endpoints.
 */
public record Trust(Tokens tokens, BundleCaps caps) {
  private static final Logger log = LoggerFactory.getLogger(Trust.class);

  public static Trust install(
      CastConfiguration config,
      Environment env,
      Jdbi jdbi,
      ObjectMapper json,
      Path dataDir,
      String agentToken,
      HostTokens hostTokens,
      DeploymentDao deployments)
      throws IOException {
    Tokens tokens = new Tokens(new TokenDao(jdbi));
    tokens.bootstrap(dataDir);
    BundleCaps caps = BundleCaps.open(dataDir);
    boolean enabled = config.getAuth().isEnabled();
    if (!enabled) {
      log.warn(
          "auth.enabled is false: anyone who reaches the api can push, deploy and run commands on"
              + " every host; turn it on outside a benchmark");
    }
    env.jersey()
        .register(
            new AuthFilter(
                tokens, hostTokens, caps, agentToken, appOfDeployment(deployments), enabled));
    AuditDao audit = new AuditDao(jdbi);
    env.jersey().register(new AuditLog(audit, json));
    env.jersey().register(new TokensResource(tokens));
    env.jersey().register(new WhoAmIResource());
    env.jersey().register(new AuditResource(audit, json));
    long retention = config.getAuth().getAuditRetention().toMilliseconds();
    env.lifecycle().manage(new AuditPruner(audit, retention));
    return new Trust(tokens, caps);
  }

  /** Drops audit entries past their retention, at start and every six hours. */
  private static final class AuditPruner implements Managed {
    private final AuditDao audit;
    private final long retentionMillis;
    private ScheduledExecutorService timer;

    AuditPruner(AuditDao audit, long retentionMillis) {
      this.audit = audit;
      this.retentionMillis = retentionMillis;
    }

    @Override
    public void start() {
      timer =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "cast-audit-pruner");
                t.setDaemon(true);
                return t;
              });
      timer.scheduleWithFixedDelay(this::prune, 0, 6, TimeUnit.HOURS);
    }

    private void prune() {
      try {
        int removed = audit.prune(System.currentTimeMillis() - retentionMillis);
        if (removed > 0) {
          log.info("audit: removed {} entries past their retention", removed);
        }
      } catch (RuntimeException e) {
        log.warn("audit: could not prune: {}", e.getMessage());
      }
    }

    @Override
    public void stop() {
      if (timer != null) {
        timer.shutdownNow();
      }
    }
  }

  /**
   * The app of a deployment, read from the catalog once per deployment: it never changes, and every
   * request about a deployment needs it before the resource reads the row again.
   */
  private static Function<String, Optional<String>> appOfDeployment(DeploymentDao deployments) {
    Map<String, String> known = new ConcurrentHashMap<>();
    return id -> {
      String app = known.get(id);
      if (app == null) {
        app = deployments.find(id).map(DeploymentRow::app).orElse(null);
        if (app != null) {
          known.put(id, app);
        }
      }
      return Optional.ofNullable(app);
    };
  }
}
