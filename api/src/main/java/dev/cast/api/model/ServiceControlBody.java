package dev.cast.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * {@code POST /v1/apps/{app}/services/{service}/{action}}.
 *
 * @param hosts hosts to act on; absent means every host running the app
 * @param maxParallel hosts acted on at once; default 1 (a rolling operation)
 * @param healthyDeadline e.g. {@code 30s}
 */
@Schema(additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
public record ServiceControlBody(
    List<String> hosts, Integer maxParallel, String healthyDeadline, String reason) {}
