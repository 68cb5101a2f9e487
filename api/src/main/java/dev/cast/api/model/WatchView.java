package dev.cast.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.cast.workflows.host.ConfigReads;

/**
 * An app's config watch.
 *
 * @param reads what the app's config read from the registry at its last rendering, all hosts
 *     together: the changes that start a rollout
 */
public record WatchView(
    String app,
    boolean enabled,
    @JsonProperty("wait") WatchBody.Wait waiting,
    ConfigReads reads,
    String updatedBy) {}
