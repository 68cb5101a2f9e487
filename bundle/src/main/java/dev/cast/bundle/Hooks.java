package dev.cast.bundle;

/**
 * Commands run around activation, in the new release dir. Either may be {@code null}.
 *
 * @param preActivate {@code pre_activate}: runs before the old release stops; a failure aborts the
 *     deploy while the old release keeps serving
 * @param postActivate {@code post_activate}: runs once the new release is healthy
 */
public record Hooks(HookSpec preActivate, HookSpec postActivate) {}
