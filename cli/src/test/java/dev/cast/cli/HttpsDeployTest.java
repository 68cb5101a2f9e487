package dev.cast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.cast.testkit.TempDirs;
import dev.cast.worker.Agent;
import dev.cast.worker.AgentConfiguration;
import dev.cast.worker.ApiTrust;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * The REST api over HTTPS with a certificate of a private CA: the embedded agent, given the CA,
 * registers and deploys examples/hello; an agent without it is refused, and says why.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class HttpsDeployTest {
  private static final TestCertificates CERTS = TestCertificates.make(TempDirs.create("cast-tls-"));
  private static final String CONNECTOR = "server.applicationConnectors[0].";
  private static final CastServerHarness CAST =
      new CastServerHarness(
              ConfigOverride.config(CONNECTOR + "type", "https"),
              ConfigOverride.config(CONNECTOR + "keyStorePath", CERTS.serverKeyStore().toString()),
              ConfigOverride.config(CONNECTOR + "keyStorePassword", CERTS.password()),
              ConfigOverride.config(CONNECTOR + "keyStoreType", "PKCS12"),
              ConfigOverride.config("agent.caCert", CERTS.caPem().toString()))
          .https(trustingTheCa());
  static final DropwizardAppExtension<ServerConfiguration> APP = CAST.app;

  private static SSLContext trustingTheCa() {
    try {
      return ApiTrust.context(CERTS.caPem().toString(), null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @AfterAll
  static void stopServices() throws Exception {
    CAST.killServices();
  }

  @Test
  void theExampleDeploysOverHttps() throws Exception {
    assertThat(CAST.baseUrl()).startsWith("https://");
    CAST.deployExample();

    CAST.awaitReported("hello", "web");
    assertThat(CAST.api().get("/v1/apps/hello/services/web").body().toString())
        .contains("\"version\":\"1.0.0\"");
  }

  @Test
  void anAgentWithoutTheCaCannotRegister() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger registration = context.getLogger("dev.cast.worker.Registration");
    ListAppender<ILoggingEvent> events = new ListAppender<>();
    events.start();
    registration.addAppender(events);
    Path dir = TempDirs.create("cast-no-ca-");
    AgentConfiguration config = new AgentConfiguration();
    config.setName("no-ca");
    config.setDataDir(dir.toString());
    config.setApi(CAST.baseUrl());
    config.setTemporal(APP.<ServerApplication>getApplication().runtime().temporal().target());
    config.setToken(APP.<ServerApplication>getApplication().runtime().agentToken());
    config.getTorrent().setEnabled(false);
    Agent agent = new Agent(config);
    try {
      agent.start(); // registers once before it returns
    } finally {
      agent.close();
      registration.detachAppender(events);
    }

    assertThat(events.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith("refusing the api at " + CAST.baseUrl())
                    .contains("TLS certificate is not trusted")
                    .contains("--ca-cert"));
    assertThat(CAST.api().get("/v1/hosts/no-ca").status()).isEqualTo(404);
  }
}
