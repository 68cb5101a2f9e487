package dev.cast.worker;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import dev.cast.workflows.shared.DeployFailure;
import io.temporal.failure.ApplicationFailure;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * One line for an expected failure, a stack trace only for a bug. Temporal's activity worker logs
 * every failed activity with its stack trace; an activity that fails with one of Cast's own {@link
 * DeployFailure} types (a health check that did not pass, a hook that failed) is an outcome the
 * deployment reports, not a bug, so it is logged here as one line instead.
 */
final class ExpectedFailureLog extends TurboFilter {
  private static final Logger log = LoggerFactory.getLogger("dev.cast.worker.ActivityFailures");
  private static final String TEMPORAL_ACTIVITIES = "io.temporal.internal.activity";
  private static final Set<String> EXPECTED =
      Stream.of(DeployFailure.values()).map(Enum::name).collect(Collectors.toSet());

  /** Installs the filter once in the process's logging. */
  static void install() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context
        && context.getTurboFilterList().stream().noneMatch(ExpectedFailureLog.class::isInstance)) {
      ExpectedFailureLog filter = new ExpectedFailureLog();
      filter.start();
      context.addTurboFilter(filter);
    }
  }

  @Override
  public FilterReply decide(
      Marker marker,
      ch.qos.logback.classic.Logger logger,
      Level level,
      String format,
      Object[] params,
      Throwable t) {
    // SLF4J passes a throwable given as the last argument in params, not in t.
    Throwable thrown =
        t != null
            ? t
            : params != null
                    && params.length > 0
                    && params[params.length - 1] instanceof Throwable e
                ? e
                : null;
    if (thrown instanceof ApplicationFailure failure
        && EXPECTED.contains(failure.getType())
        && logger.getName().startsWith(TEMPORAL_ACTIVITIES)) {
      Object activity = params != null && params.length > 1 ? params[1] : "an activity";
      log.info("{} failed: {}: {}", activity, failure.getType(), failure.getOriginalMessage());
      return FilterReply.DENY;
    }
    return FilterReply.NEUTRAL;
  }
}
