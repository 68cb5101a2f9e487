package dev.cast.api.db;

import dev.cast.workflows.host.RenderedFile;
import java.util.List;

/** What one host of a deployment rendered from its release's templates, secrets masked. */
public record HostConfigRow(
    String deploymentId,
    String host,
    long configIndex,
    @JsonColumn List<RenderedFile> files,
    long recordedAt) {}
