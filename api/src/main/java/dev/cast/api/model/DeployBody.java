package dev.cast.api.model;

import dev.cast.api.openapi.Patterns;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/apps/{app}/deployments}.
 *
 * @param hosts target hosts; absent means every registered host that is not drained
 * @param selector instead of hosts: every host (not drained) whose labels include all of these
 * @param healthyDeadline e.g. {@code 30s}; absent means the configured default
 * @param reason why, for the record
 * @param strategy batches, canary and gates; absent means one host at a time
 */
@Schema(additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
public record DeployBody(
    @Schema(
            requiredMode = Schema.RequiredMode.REQUIRED,
            pattern = Patterns.VERSION,
            example = "2.0.0")
        String version,
    List<String> hosts,
    Map<String, String> selector,
    String healthyDeadline,
    String reason,
    StrategyBody strategy) {}
