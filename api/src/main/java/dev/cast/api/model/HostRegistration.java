package dev.cast.api.model;

import jakarta.validation.constraints.NotEmpty;

/** What an agent sends when it registers or heartbeats: {@code PUT /v1/hosts/{name}}. */
public record HostRegistration(@NotEmpty String address, String agentVersion) {}
