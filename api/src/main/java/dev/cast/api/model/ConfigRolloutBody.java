package dev.cast.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/apps/{app}/config-rollouts}: a deploy's body without the version; every host
 * re-renders the config of the release it runs.
 *
 * @param hosts target hosts; absent means every host (not drained) the app runs on
 * @param selector instead of hosts: those of them whose labels include all of these
 * @param healthyDeadline e.g. {@code 30s}; absent means the configured default
 * @param reason why, for the record
 * @param strategy batches, canary and gates for hosts whose change calls for a rollout; absent
 *     means one host at a time
 */
@Schema(additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
public record ConfigRolloutBody(
    List<String> hosts,
    Map<String, String> selector,
    String healthyDeadline,
    String reason,
    StrategyBody strategy) {}
