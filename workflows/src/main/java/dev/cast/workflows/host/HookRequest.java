package dev.cast.workflows.host;

/**
 * @param hook {@code pre_activate} or {@code post_activate}
 */
public record HookRequest(String app, String version, String hook) {}
