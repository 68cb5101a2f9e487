package dev.cast.api.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * {@code strategy} of a deploy request.
 *
 * @param maxParallel hosts switched at once (default 1)
 * @param canary hosts switched first (default 0)
 * @param promote {@code manual} (wait for {@code POST /v1/deployments/{id}/promote}) or {@code
 *     auto} (wait {@code minHealthyTime}); default auto
 * @param minHealthyTime how long each batch stays healthy before the next, e.g. {@code 10s}
 * @param healthyDeadline how long each host's services may take to pass their checks (default the
 *     request's {@code healthyDeadline}, else the configured one)
 * @param progressDeadline the deploy fails when no host makes progress for this long, e.g. {@code
 *     10m}; {@code 0s} turns it off (default the configured one)
 * @param autoRevert on failure put every switched host back (default true)
 * @param maxUnavailable unreachable hosts the deploy goes on without: a count ({@code 1}) or a
 *     share of the targets ({@code "25%"}); default 0
 */
@Schema(additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
public record StrategyBody(
    Integer maxParallel,
    Integer canary,
    String promote,
    String minHealthyTime,
    String healthyDeadline,
    String progressDeadline,
    Boolean autoRevert,
    JsonNode maxUnavailable) {}
