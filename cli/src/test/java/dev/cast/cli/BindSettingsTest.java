package dev.cast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.cast.api.core.ExposureWarnings;
import io.dropwizard.configuration.DefaultConfigurationFactoryFactory;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jetty.HttpConnectorFactory;
import io.dropwizard.validation.BaseValidator;
import java.util.List;
import java.util.Map;
import org.apache.commons.text.StringSubstitutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** CAST_BIND opens the REST api and the embedded Temporal server, never the admin port. */
class BindSettingsTest {
  private final Logger logger =
      ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(ExposureWarnings.class);
  private final ListAppender<ILoggingEvent> events = new ListAppender<>();

  @BeforeEach
  void capture() {
    events.start();
    logger.addAppender(events);
  }

  @AfterEach
  void release() {
    logger.detachAppender(events);
  }

  /** The shipped config.yml read with {@code environment} as the environment. */
  private static ServerConfiguration shipped(Map<String, String> environment) throws Exception {
    return new DefaultConfigurationFactoryFactory<ServerConfiguration>()
        .create(
            ServerConfiguration.class,
            BaseValidator.newValidator(),
            Jackson.newObjectMapper(),
            "dw")
        .build(
            new SubstitutingSourceProvider(
                new FileConfigurationSourceProvider(), new StringSubstitutor(environment)),
            "../config.yml");
  }

  private static String bindHost(List<? extends Object> connectors) {
    return ((HttpConnectorFactory) connectors.get(0)).getBindHost();
  }

  @Test
  void byDefaultEverythingIsOnLoopbackAndNothingIsWarned() throws Exception {
    ServerConfiguration config = shipped(Map.of());
    DefaultServerFactory server = (DefaultServerFactory) config.getServerFactory();

    assertThat(bindHost(server.getApplicationConnectors())).isEqualTo("127.0.0.1");
    assertThat(bindHost(server.getAdminConnectors())).isEqualTo("127.0.0.1");
    assertThat(config.getTemporal().getBindHost()).isEqualTo("127.0.0.1");
    ExposureWarnings.log(config);
    assertThat(events.list).isEmpty();
  }

  @Test
  void castBindOpensRestAndTemporalWithAWarningForEachButNotTheAdminPort() throws Exception {
    ServerConfiguration config = shipped(Map.of("CAST_BIND", "0.0.0.0"));
    DefaultServerFactory server = (DefaultServerFactory) config.getServerFactory();

    assertThat(bindHost(server.getApplicationConnectors())).isEqualTo("0.0.0.0");
    assertThat(config.getTemporal().getBindHost()).isEqualTo("0.0.0.0");
    assertThat(bindHost(server.getAdminConnectors()))
        .as("the admin port's tasks and thread dumps stay on loopback")
        .isEqualTo("127.0.0.1");

    ExposureWarnings.log(config);
    assertThat(events.list)
        .extracting(ILoggingEvent::getLevel, ILoggingEvent::getFormattedMessage)
        .satisfiesExactlyInAnyOrder(
            rest -> {
              assertThat(rest.toList().get(0)).isEqualTo(Level.WARN);
              assertThat((String) rest.toList().get(1))
                  .startsWith("the REST api listens on 0.0.0.0 port 8080 over plain HTTP");
            },
            temporal -> {
              assertThat(temporal.toList().get(0)).isEqualTo(Level.ERROR);
              assertThat((String) temporal.toList().get(1))
                  .startsWith("the embedded Temporal server listens on 0.0.0.0 port 7233")
                  .contains("anyone who reaches it can start workflows")
                  .contains("Temporal cluster with mTLS");
            });
  }

  @Test
  void anAdminConnectorMovedOffLoopbackIsWarnedAbout() throws Exception {
    ServerConfiguration config = shipped(Map.of());
    DefaultServerFactory server = (DefaultServerFactory) config.getServerFactory();
    ((HttpConnectorFactory) server.getAdminConnectors().get(0)).setBindHost(null);

    ExposureWarnings.log(config);
    assertThat(events.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .singleElement()
        .asString()
        .startsWith("the admin port listens on every interface port 8081")
        .contains("need no authentication");
  }
}
