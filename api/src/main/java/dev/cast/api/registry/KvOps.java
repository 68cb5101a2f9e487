package dev.cast.api.registry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What each key/value operation does, as Consul has it: {@code set}, {@code cas} (index 0: create
 * only), {@code lock} and {@code unlock} (lock index, lock-delay), the checks, the deletes. It
 * reads and changes the store through a {@link View}: the registry's writer gives it the state of
 * the group commit being built, so a transaction sees the writes before it and fails alone.
 */
final class KvOps {
  /** The store as the write being applied sees it. */
  interface View {
    KvEntry get(String key);

    Collection<KvEntry> range(String prefix);

    RegistrySession session(String id);

    void put(KvEntry entry);

    void delete(String key);

    /** The index of the write being applied (taken on first use). */
    long index();

    /** The index of the write being applied, or 0 when it took none. */
    long currentIndex();

    /** The last index of a key/value change that readers have. */
    long kvIndex();

    /** Until when (epoch ms) a key may not be locked after its holder's session ended; or null. */
    Long lockDelayUntil(String key);
  }

  /** A transaction failed on this operation. */
  static final class OpFailed extends RuntimeException {
    final boolean invalidSession;

    OpFailed(String what, boolean invalidSession) {
      super(what, null, false, false);
      this.invalidSession = invalidSession;
    }
  }

  private final View view;

  KvOps(View view) {
    this.view = view;
  }

  Registry.TxnOutcome txn(List<KvOp> ops) {
    List<KvEntry> results = new ArrayList<>();
    for (int i = 0; i < ops.size(); i++) {
      try {
        apply(ops.get(i), results);
      } catch (OpFailed failed) {
        return new Registry.TxnOutcome(
            Math.max(1, view.kvIndex()),
            List.of(),
            List.of(new Registry.OpError(i, failed.getMessage(), failed.invalidSession)));
      }
    }
    return new Registry.TxnOutcome(
        view.currentIndex() == 0 ? Math.max(1, view.kvIndex()) : view.currentIndex(),
        results,
        List.of());
  }

  private void apply(KvOp op, List<KvEntry> results) {
    String key = op.key();
    KvEntry existing = view.get(key);
    long flags = op.flags() == null ? 0 : op.flags();
    switch (op.verb()) {
      case SET -> results.add(set(key, existing, op.value(), flags));
      case CAS -> {
        long want = op.index() == null ? 0 : op.index();
        if (want == 0 ? existing != null : existing == null || existing.modifyIndex() != want) {
          throw new OpFailed(
              "failed to set key \""
                  + key
                  + "\", index is stale"
                  + (existing == null
                      ? " (the key does not exist)"
                      : " (it is " + existing.modifyIndex() + ")"),
              false);
        }
        results.add(set(key, existing, op.value(), flags));
      }
      case LOCK -> results.add(lock(key, existing, op, flags));
      case UNLOCK -> {
        if (existing == null || !op.session().equals(existing.session())) {
          throw new OpFailed(
              "failed to unlock key \""
                  + key
                  + "\": lock isn't held, or is held by another session",
              false);
        }
        KvEntry released =
            new KvEntry(
                key,
                existing.createIndex(),
                view.index(),
                existing.lockIndex(),
                flags,
                op.value(),
                null);
        view.put(released);
        results.add(released);
      }
      case GET -> {
        if (existing == null) {
          throw new OpFailed("key \"" + key + "\" doesn't exist", false);
        }
        results.add(existing);
      }
      case GET_TREE -> results.addAll(view.range(key));
      case CHECK_INDEX -> {
        long want = op.index() == null ? 0 : op.index();
        if (existing == null || existing.modifyIndex() != want) {
          throw new OpFailed(
              "current modify index "
                  + (existing == null ? "(no such key)" : existing.modifyIndex())
                  + " != "
                  + want
                  + " for key \""
                  + key
                  + "\"",
              false);
        }
        results.add(existing);
      }
      case CHECK_SESSION -> {
        if (existing == null || op.session() == null || !op.session().equals(existing.session())) {
          throw new OpFailed(
              "failed session check for key \""
                  + key
                  + "\", current session "
                  + (existing == null ? "(no such key)" : existing.session())
                  + " != "
                  + op.session(),
              false);
        }
        results.add(existing);
      }
      case CHECK_NOT_EXISTS -> {
        if (existing != null) {
          throw new OpFailed("key \"" + key + "\" exists", false);
        }
      }
      case DELETE -> view.delete(key);
      case DELETE_TREE -> view.range(key).forEach(e -> view.delete(e.key()));
      case DELETE_CAS -> {
        long want = op.index() == null ? 0 : op.index();
        if (existing != null && existing.modifyIndex() != want) {
          throw new OpFailed(
              "failed to delete key \""
                  + key
                  + "\", index is stale (it is "
                  + existing.modifyIndex()
                  + ")",
              false);
        }
        view.delete(key);
      }
    }
  }

  private KvEntry set(String key, KvEntry existing, byte[] value, long flags) {
    long idx = view.index();
    KvEntry entry =
        existing == null
            ? new KvEntry(key, idx, idx, 0, flags, value, null)
            : new KvEntry(
                key,
                existing.createIndex(),
                idx,
                existing.lockIndex(),
                flags,
                value,
                existing.session());
    view.put(entry);
    return entry;
  }

  private KvEntry lock(String key, KvEntry existing, KvOp op, long flags) {
    String id = op.session();
    if (id == null || view.session(id) == null) {
      throw new OpFailed("invalid session \"" + id + "\"", true);
    }
    if (existing != null && existing.session() != null) {
      if (!existing.session().equals(id)) {
        throw new OpFailed(
            "failed to lock key \""
                + key
                + "\": lock is already held by session "
                + existing.session(),
            false);
      }
      // The holder may update the value; the lock index stays.
      KvEntry updated =
          new KvEntry(
              key,
              existing.createIndex(),
              view.index(),
              existing.lockIndex(),
              flags,
              op.value(),
              id);
      view.put(updated);
      return updated;
    }
    Long delayed = view.lockDelayUntil(key);
    if (delayed != null && delayed > System.currentTimeMillis()) {
      throw new OpFailed(
          "failed to lock key \""
              + key
              + "\": in lock-delay for another "
              + (delayed - System.currentTimeMillis())
              + " ms after its last holder's session ended",
          false);
    }
    long idx = view.index();
    KvEntry locked =
        new KvEntry(
            key,
            existing == null ? idx : existing.createIndex(),
            idx,
            (existing == null ? 0 : existing.lockIndex()) + 1,
            flags,
            op.value(),
            id);
    view.put(locked);
    return locked;
  }
}
