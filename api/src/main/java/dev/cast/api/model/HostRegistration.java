package dev.cast.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotEmpty;
import java.util.Map;

/**
 * What an agent sends when it registers or heartbeats: {@code PUT /v1/hosts/{name}}.
 *
 * @param logsUrl the base URL of the agent's log endpoint, or null
 * @param labels the host's labels, e.g. {@code role: web}
 * @param facts what the agent found: os, arch, cpus, memoryBytes, freeDiskBytes, agentVersion
 */
@Schema(additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
public record HostRegistration(
    @NotEmpty String address,
    String agentVersion,
    String logsUrl,
    Map<String, String> labels,
    Map<String, Object> facts) {}
