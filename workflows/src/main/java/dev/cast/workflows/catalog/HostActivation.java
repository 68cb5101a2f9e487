package dev.cast.workflows.catalog;

import dev.cast.workflows.host.Endpoint;
import java.util.List;

/** A release that became current and healthy on a host. */
public record HostActivation(
    String deploymentId,
    String app,
    String version,
    String host,
    String address,
    String previousVersion,
    List<Endpoint> endpoints) {}
