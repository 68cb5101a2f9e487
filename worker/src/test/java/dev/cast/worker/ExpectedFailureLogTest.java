package dev.cast.worker;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ExpectedFailureLogTest {
  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
  private final ListAppender<ILoggingEvent> events = new ListAppender<>();
  private final Logger temporal =
      context.getLogger("io.temporal.internal.activity.ActivityTaskExecutors$ActivityTaskExecutor");

  @BeforeEach
  void capture() {
    ExpectedFailureLog.install();
    events.setContext(context);
    events.start();
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(events);
  }

  @AfterEach
  void release() {
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(events);
  }

  @Test
  void anExpectedFailureIsOneLineWithoutAStackTrace() {
    ApplicationFailure unhealthy =
        ApplicationFailure.newNonRetryableFailure(
            "web: GET /health answered 500", "SERVICE_UNHEALTHY");

    temporal.warn(
        "Activity failure. ActivityId={}, activityType={}, attempt={}",
        "a-1",
        "SwitchRelease",
        1,
        unhealthy);

    assertThat(events.list).hasSize(1);
    ILoggingEvent line = events.list.get(0);
    assertThat(line.getFormattedMessage())
        .isEqualTo("SwitchRelease failed: SERVICE_UNHEALTHY: web: GET /health answered 500");
    assertThat(line.getThrowableProxy()).isNull();
  }

  @Test
  void aBugKeepsItsStackTrace() {
    temporal.warn(
        "Activity failure. ActivityId={}, activityType={}, attempt={}",
        "a-1",
        "SwitchRelease",
        1,
        new IllegalStateException("a bug"));

    assertThat(events.list).hasSize(1);
    assertThat(events.list.get(0).getThrowableProxy()).isNotNull();
  }
}
