package dev.cast.api.model;

import java.util.List;

/**
 * What a host has of one app, as its agent reports it ({@code PUT /v1/hosts/{name}/apps}): what its
 * {@code current} and {@code previous} links point at, the releases unpacked on it, and the ports
 * of the current release's services.
 */
public record AppReport(
    String app, String current, String previous, List<String> releases, List<Port> endpoints) {

  /** A named port of a service of the current release. */
  public record Port(String service, String portName, int port) {}
}
