package dev.cast.api.model;

import java.util.List;

/**
 * {@code POST /v1/apps/{app}/deployments}.
 *
 * @param hosts target hosts; absent means every registered host
 * @param healthyDeadline e.g. {@code 30s}; absent means the configured default
 * @param reason why, for the record
 */
public record DeployBody(
    String version, List<String> hosts, String healthyDeadline, String reason) {}
