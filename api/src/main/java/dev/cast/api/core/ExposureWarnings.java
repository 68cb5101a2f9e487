package dev.cast.api.core;

import dev.cast.api.CastConfiguration;
import dev.cast.api.config.TemporalSettings;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.core.server.ServerFactory;
import io.dropwizard.core.server.SimpleServerFactory;
import io.dropwizard.jetty.ConnectorFactory;
import io.dropwizard.jetty.HttpConnectorFactory;
import io.dropwizard.jetty.HttpsConnectorFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start, one WARN per listener bound beyond loopback without TLS, naming the risk. Cast listens
 * on 127.0.0.1 by default; {@code CAST_BIND} (or {@code bindHost}) opens it to other machines.
 */
public final class ExposureWarnings {
  private static final Logger log = LoggerFactory.getLogger(ExposureWarnings.class);

  private ExposureWarnings() {}

  /** Logs the warnings for {@code config}'s listeners (none when all are on loopback). */
  public static void log(CastConfiguration config) {
    for (String warning : of(config)) {
      if (warning.startsWith("the embedded Temporal server")) {
        log.error(warning);
      } else {
        log.warn(warning);
      }
    }
  }

  /** The warnings, one per exposed listener. */
  public static List<String> of(CastConfiguration config) {
    List<String> warnings = new ArrayList<>();
    ServerFactory server = config.getServerFactory();
    if (server instanceof DefaultServerFactory factory) {
      factory.getApplicationConnectors().forEach(c -> rest(c, warnings));
      factory.getAdminConnectors().forEach(c -> admin(c, warnings));
    } else if (server instanceof SimpleServerFactory simple) {
      rest(simple.getConnector(), warnings);
    }
    TemporalSettings temporal = config.getTemporal();
    if (temporal.local() && !loopback(temporal.getBindHost())) {
      warnings.add(
          (temporal.dev()
                  ? "the dev Temporal server and its Web UI listen on "
                  : "the embedded Temporal server listens on ")
              + where(temporal.getBindHost(), temporal.getEmbeddedPort())
              + " without authentication or TLS: anyone who reaches it can start workflows and"
              + " run activities (deploy and run programs) on every host. Keep temporal.bindHost"
              + " on 127.0.0.1; for more than one machine use a Temporal cluster with mTLS"
              + " (temporal.target: host:port)");
    }
    return warnings;
  }

  private static void rest(ConnectorFactory connector, List<String> warnings) {
    if (connector instanceof HttpConnectorFactory http
        && !(connector instanceof HttpsConnectorFactory)
        && !loopback(http.getBindHost())) {
      warnings.add(
          "the REST api listens on "
              + where(http.getBindHost(), http.getPort())
              + " over plain HTTP: tokens, bundles and everything else cross the network"
              + " unencrypted and can be read or altered; use a `type: https` connector");
    }
  }

  private static void admin(ConnectorFactory connector, List<String> warnings) {
    if (connector instanceof HttpConnectorFactory http && !loopback(http.getBindHost())) {
      warnings.add(
          "the admin port listens on "
              + where(http.getBindHost(), http.getPort())
              + (connector instanceof HttpsConnectorFactory ? "" : " over plain HTTP")
              + ": its tasks (log-level, gc), metrics and thread dumps need no authentication;"
              + " keep the admin connector's bindHost on 127.0.0.1");
    }
  }

  private static String where(String host, int port) {
    return (host == null || host.isEmpty() ? "every interface" : host)
        + (port == 0 ? ", any free port," : " port " + port);
  }

  /** The first REST connector's {@code bindHost}: null when it listens on every interface. */
  public static String restBindHost(CastConfiguration config) {
    ServerFactory server = config.getServerFactory();
    ConnectorFactory first = null;
    if (server instanceof DefaultServerFactory factory
        && !factory.getApplicationConnectors().isEmpty()) {
      first = factory.getApplicationConnectors().get(0);
    } else if (server instanceof SimpleServerFactory simple) {
      first = simple.getConnector();
    }
    return first instanceof HttpConnectorFactory http ? http.getBindHost() : null;
  }

  /** Whether {@code host} is a loopback address; null or empty is every interface. */
  static boolean loopback(String host) {
    if (host == null || host.isEmpty()) {
      return false;
    }
    try {
      for (InetAddress address : InetAddress.getAllByName(host)) {
        if (!address.isLoopbackAddress()) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
