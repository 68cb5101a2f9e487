package dev.cast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cast.testkit.TempDirs;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The shipped config.yml (ports made free) listens on loopback only: REST, admin, the embedded
 * Temporal server, the embedded agent's log endpoint and BitTorrent peers alike.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class SafeDefaultsTest {
  // Taken before the server starts: whatever else this JVM listens on is not the server's.
  private static final Set<Long> BEFORE = before();
  private static final Path DATA = TempDirs.create("cast-defaults-");

  static final DropwizardAppExtension<ServerConfiguration> APP =
      new DropwizardAppExtension<>(
          ServerApplication.class,
          Path.of("../config.yml").toAbsolutePath().toString(),
          ConfigOverride.config("dataDir", DATA.toString()),
          ConfigOverride.config("agent.dataDir", DATA.resolve("agent").toString()),
          ConfigOverride.config("agent.ports.from", "32000"),
          ConfigOverride.config("agent.ports.to", "32999"),
          ConfigOverride.config("temporal.embeddedPort", "0"),
          ConfigOverride.config("server.applicationConnectors[0].port", "0"),
          ConfigOverride.config("server.adminConnectors[0].port", "0"));

  private static Set<Long> before() {
    try {
      return Set.copyOf(Listeners.ofThisProcess().keySet());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void everyListenerIsOnLoopbackOnly() throws Exception {
    APP.<ServerApplication>getApplication().ready().get();
    Map<Long, InetSocketAddress> listening = Listeners.ofThisProcess();
    listening.keySet().removeAll(BEFORE);
    String temporal = APP.<ServerApplication>getApplication().runtime().temporal().target();
    int temporalPort = Integer.parseInt(temporal.substring(temporal.lastIndexOf(':') + 1));

    assertThat(listening.values())
        .extracting(InetSocketAddress::getPort)
        .as("REST, admin, the embedded Temporal server among this server's listeners")
        .contains(APP.getLocalPort(), APP.getAdminPort(), temporalPort);
    assertThat(listening.size())
        .as("and at least the agent's log endpoint besides: %s", listening.values())
        .isGreaterThanOrEqualTo(4);
    assertThat(listening.values())
        .allSatisfy(
            address ->
                assertThat(address.getAddress().getHostAddress())
                    .as("%s listens on loopback only", address)
                    .isEqualTo("127.0.0.1"));
  }
}
