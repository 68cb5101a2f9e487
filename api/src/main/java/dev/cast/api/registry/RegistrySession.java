package dev.cast.api.registry;

/**
 * A session: what holds locks and owns ephemeral keys. It ends when its TTL passes without a
 * renewal, when it is destroyed, or when its host ({@code node}) goes down; then its locks are
 * released ({@code release}) or its keys deleted ({@code delete}).
 *
 * @param node the Cast host it is bound to; null: none, only its TTL ends it
 * @param ttlMillis 0: no TTL
 */
public record RegistrySession(
    String id,
    String name,
    String node,
    long ttlMillis,
    String behavior,
    long lockDelayMillis,
    long createIndex,
    long modifyIndex) {
  public boolean deletes() {
    return "delete".equals(behavior);
  }
}
