package dev.cast.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cast.api.errors.ApiException;
import dev.cast.api.model.StrategyBody;
import dev.cast.workflows.deploy.Strategy;
import dev.cast.workflows.shared.Limits;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@code strategy} of a deploy request into the workflow's {@link Strategy}, refusing
 * what makes no sense with a message that names the field.
 */
final class Strategies {
  private static final Pattern PERCENT = Pattern.compile("(\\d{1,3})%");
  private static final Pattern COUNT = Pattern.compile("\\d{1,6}");

  private Strategies() {}

  /**
   * @param targets how many hosts the deploy goes to, for a {@code maxUnavailable} share
   * @param healthyDeadline each host's health deadline, which a progress deadline must exceed
   * @param defaultProgressDeadline the configured progress deadline, used when none is given
   */
  static Strategy parse(
      StrategyBody body, int targets, Duration healthyDeadline, Duration defaultProgressDeadline) {
    StrategyBody strategy =
        body == null ? new StrategyBody(null, null, null, null, null, null, null, null) : body;
    int maxParallel =
        strategy.maxParallel() == null
            ? 1
            : RequestChecks.count(
                "strategy.maxParallel", strategy.maxParallel(), 1, Limits.MAX_HOSTS);
    int canary =
        strategy.canary() == null
            ? 0
            : RequestChecks.count("strategy.canary", strategy.canary(), 0, Limits.MAX_HOSTS);
    String promote = strategy.promote() == null ? "auto" : strategy.promote();
    if (!promote.equals("auto") && !promote.equals("manual")) {
      throw ApiException.badRequest(
          "INVALID_REQUEST", "strategy.promote: \"" + promote + "\" is not manual or auto");
    }
    long minHealthy =
        strategy.minHealthyTime() == null
            ? 0
            : RequestChecks.duration(
                    "strategy.minHealthyTime",
                    strategy.minHealthyTime(),
                    Duration.ZERO,
                    Limits.MAX_MIN_HEALTHY_TIME)
                .toMillis();
    long progress;
    if (strategy.progressDeadline() == null) {
      // The default must not undercut a long health deadline or batch wait the request asks for.
      progress = defaultProgressDeadline.toMillis();
      if (progress > 0) {
        progress = Math.max(progress, healthyDeadline.toMillis() + minHealthy + 60_000);
      }
    } else {
      progress =
          RequestChecks.duration(
                  "strategy.progressDeadline",
                  strategy.progressDeadline(),
                  Duration.ZERO,
                  Limits.MAX_PROGRESS_DEADLINE)
              .toMillis();
      if (progress > 0 && (progress <= healthyDeadline.toMillis() || progress <= minHealthy)) {
        throw ApiException.badRequest(
            "INVALID_REQUEST",
            "strategy.progressDeadline: "
                + strategy.progressDeadline()
                + " must be longer than healthyDeadline ("
                + healthyDeadline.toSeconds()
                + "s) and minHealthyTime ("
                + minHealthy / 1000
                + "s), or 0s for none");
      }
    }
    return new Strategy(
        maxParallel,
        canary,
        promote.equals("manual"),
        minHealthy,
        progress,
        strategy.autoRevert() == null || strategy.autoRevert(),
        maxUnavailable(strategy.maxUnavailable(), targets));
  }

  /** A count, or a share of the targets rounded down: {@code 1}, {@code "1"}, {@code "25%"}. */
  static int maxUnavailable(JsonNode value, int targets) {
    if (value == null || value.isNull()) {
      return 0;
    }
    if (value.isInt() && value.asInt() >= 0 && value.asInt() <= Limits.MAX_HOSTS) {
      return value.asInt();
    }
    if (value.isTextual()) {
      String text = value.asText().trim();
      Matcher percent = PERCENT.matcher(text);
      if (percent.matches() && Integer.parseInt(percent.group(1)) <= 100) {
        return Integer.parseInt(percent.group(1)) * targets / 100;
      }
      if (COUNT.matcher(text).matches() && Integer.parseInt(text) <= Limits.MAX_HOSTS) {
        return Integer.parseInt(text);
      }
    }
    throw ApiException.badRequest(
        "INVALID_REQUEST",
        "strategy.maxUnavailable: "
            + value
            + " is neither a host count from 0 to "
            + Limits.MAX_HOSTS
            + " such as 1 nor a share such as \"25%\"");
  }
}
