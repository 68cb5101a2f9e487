package dev.cast.api.model;

import java.util.List;

/** A service of an app across hosts. {@code uptimeSeconds} is per host in {@code hosts}. */
public record ServiceView(String app, String service, List<HostService> hosts) {

  public record HostService(
      String host,
      String version,
      String state,
      Long pid,
      Long uptimeSeconds,
      int restarts,
      String health,
      String healthOutput,
      String healthSince,
      boolean enabled,
      String reportedAt) {}
}
