package dev.cast.api.model;

import java.util.Map;

/** Where a service of an app answers: {@code port} is its first named port. */
public record InstanceView(
    String host,
    String service,
    String version,
    String address,
    Integer port,
    Map<String, Integer> ports,
    String health) {}
