package dev.cast.workflows.catalog;

import dev.cast.workflows.host.Endpoint;
import dev.cast.workflows.host.RenderedConfig;
import java.util.List;

/**
 * A release that became current and healthy on a host; {@code config} is what the host rendered
 * from its templates (null without templates).
 */
public record HostActivation(
    String deploymentId,
    String app,
    String version,
    String host,
    String address,
    String previousVersion,
    List<Endpoint> endpoints,
    RenderedConfig config) {}
