package dev.cast.api.model;

import jakarta.validation.constraints.NotEmpty;

/**
 * What an agent sends when it registers or heartbeats: {@code PUT /v1/hosts/{name}}.
 *
 * @param logsUrl the base URL of the agent's log endpoint, or null
 */
public record HostRegistration(@NotEmpty String address, String agentVersion, String logsUrl) {}
