package dev.cast.api.model;

import java.util.Map;

/**
 * Where a service of an app answers: {@code port} is its first named port. {@code health} (passing
 * | warning | critical | unknown), its output and since come from the agent's continuous checks;
 * {@code state} is the supervisor's (running, failed, …).
 */
public record InstanceView(
    String host,
    String service,
    String version,
    String address,
    Integer port,
    Map<String, Integer> ports,
    String health,
    String healthOutput,
    String healthSince,
    String state) {}
