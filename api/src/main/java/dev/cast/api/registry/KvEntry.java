package dev.cast.api.registry;

/**
 * One key of the registry, as Consul keeps it: the index that created it and the one that last
 * changed it, how many times a session locked it, opaque flags (a uint64 in a long), its value and
 * the session that holds its lock (null: none).
 */
public record KvEntry(
    String key,
    long createIndex,
    long modifyIndex,
    long lockIndex,
    long flags,
    byte[] value,
    String session) {}
