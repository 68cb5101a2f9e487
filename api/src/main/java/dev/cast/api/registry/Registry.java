package dev.cast.api.registry;

import dev.cast.api.errors.ApiException;
import io.dropwizard.lifecycle.Managed;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's key/value store and sessions: all of it in memory for reads, every write committed
 * to the api's SQLite before it is acknowledged. Writes queue for one writer thread, which applies
 * all that are waiting in one transaction (group commit: one sync for many writes), then publishes
 * them to readers at once and wakes the reads blocked on what changed. A reader never sees a write
 * that is not committed, nor half a transaction.
 */
public final class Registry implements Managed {
  private static final Logger log = LoggerFactory.getLogger(Registry.class);
  private static final int MAX_BATCH = 1024;
  private static final int ANSWERERS = 2;
  private static final long TOMBSTONE_MILLIS = 15 * 60_000L;

  /** A failed operation of a transaction; {@code invalidSession} is the caller's mistake. */
  public record OpError(int opIndex, String what, boolean invalidSession) {}

  /** What a transaction did: its results, or the errors that stopped it (nothing applied). */
  public record TxnOutcome(long index, List<KvEntry> results, List<OpError> errors) {
    public boolean ok() {
      return errors.isEmpty();
    }
  }

  private final Jdbi jdbi;
  private final Blocking blocking;
  private final ConcurrentSkipListMap<String, KvEntry> kv = new ConcurrentSkipListMap<>();
  private final ConcurrentSkipListMap<String, long[]> tombstones = new ConcurrentSkipListMap<>();
  private final ConcurrentHashMap<String, RegistrySession> sessions = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Long> deadlines = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Long> lockDelays = new ConcurrentHashMap<>();
  private final Set<String> ending = ConcurrentHashMap.newKeySet();
  private final ReentrantReadWriteLock published = new ReentrantReadWriteLock();
  private final List<Consumer<Set<String>>> keyListeners = new CopyOnWriteArrayList<>();
  private final AtomicLong index = new AtomicLong();
  private final LinkedBlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
  private volatile long kvIndex;
  private volatile long sessionsIndex;
  private volatile boolean running;
  private Thread writer;
  private ExecutorService answers;
  private ScheduledExecutorService reaper;

  public Registry(Jdbi jdbi, Blocking blocking) {
    this.jdbi = jdbi;
    this.blocking = blocking;
  }

  /**
   * Tells {@code listener} the keys each committed batch wrote or deleted, on the writer's thread
   * right after the batch is published: it must only hand them on.
   */
  public void onKeysChanged(Consumer<Set<String>> listener) {
    keyListeners.add(listener);
  }

  public Blocking blocking() {
    return blocking;
  }

  // ---- reads -----------------------------------------------------------------------------

  /** The last index handed out, to any part of the registry. */
  public long index() {
    return Math.max(1, index.get());
  }

  /** A new index for a change outside the key/value store (the catalog); kept at the next write. */
  public long nextIndex() {
    long next = index.incrementAndGet();
    queue.add(new Pending<Void>(b -> null)); // persists the counter
    return next;
  }

  /** The key and the index to block on: its last change, or the store's when it is absent. */
  public Blocking.Answer<KvEntry> get(String key) {
    published.readLock().lock();
    try {
      KvEntry entry = kv.get(key);
      return new Blocking.Answer<>(
          entry == null ? Math.max(1, kvIndex) : entry.modifyIndex(), entry);
    } finally {
      published.readLock().unlock();
    }
  }

  /** Every key under {@code prefix}, and the last change under it (deletions included). */
  public Blocking.Answer<List<KvEntry>> range(String prefix) {
    published.readLock().lock();
    try {
      List<KvEntry> found = new ArrayList<>();
      long max = 0;
      for (KvEntry entry : kv.tailMap(prefix).values()) {
        if (!entry.key().startsWith(prefix)) {
          break;
        }
        found.add(entry);
        max = Math.max(max, entry.modifyIndex());
      }
      for (Map.Entry<String, long[]> gone : tombstones.tailMap(prefix).entrySet()) {
        if (!gone.getKey().startsWith(prefix)) {
          break;
        }
        max = Math.max(max, gone.getValue()[0]);
      }
      return new Blocking.Answer<>(max == 0 ? Math.max(1, kvIndex) : max, found);
    } finally {
      published.readLock().unlock();
    }
  }

  public Blocking.Answer<Optional<RegistrySession>> session(String id) {
    RegistrySession session = sessions.get(id);
    return new Blocking.Answer<>(
        session == null ? Math.max(1, sessionsIndex) : session.modifyIndex(),
        Optional.ofNullable(session));
  }

  public Blocking.Answer<List<RegistrySession>> sessions() {
    List<RegistrySession> all = new ArrayList<>(sessions.values());
    all.sort((a, b) -> Long.compare(a.createIndex(), b.createIndex()));
    return new Blocking.Answer<>(Math.max(1, sessionsIndex), all);
  }

  // ---- writes ----------------------------------------------------------------------------

  /** Applies {@code ops} atomically: all of them, or none and the errors that stopped them. */
  public CompletableFuture<TxnOutcome> txn(List<KvOp> ops) {
    return submit(b -> b.txn(ops));
  }

  /** Creates a session; fails with a 400 when {@code node} is not a known host. */
  public CompletableFuture<RegistrySession> createSession(
      String id, String name, String node, long ttlMillis, String behavior, long lockDelayMillis) {
    return submit(
        b -> {
          RegistrySession session =
              new RegistrySession(
                  id, name, node, ttlMillis, behavior, lockDelayMillis, b.index(), b.index());
          b.sessions.put(id, Optional.of(session));
          return session;
        });
  }

  /** Ends a session as Consul does: its locks released (or keys deleted), with lock-delay. */
  public CompletableFuture<Boolean> destroySession(String id) {
    return submit(b -> b.endSession(id));
  }

  /** Ends every session bound to {@code node}: the host went down. */
  public CompletableFuture<Integer> endSessionsOf(String node) {
    return submit(
        b -> {
          int ended = 0;
          for (RegistrySession session : new ArrayList<>(sessions.values())) {
            if (node.equals(session.node()) && b.endSession(session.id())) {
              ended++;
            }
          }
          return ended;
        });
  }

  /** Renews a session's TTL; empty when there is no such session. */
  public Optional<RegistrySession> renew(String id) {
    RegistrySession session = sessions.get(id);
    if (session != null && session.ttlMillis() > 0) {
      deadlines.put(id, System.currentTimeMillis() + session.ttlMillis());
    }
    return Optional.ofNullable(session);
  }

  private <T> CompletableFuture<T> submit(Function<Batch, T> write) {
    if (!running) {
      return CompletableFuture.failedFuture(
          ApiException.serverError(
              503, "REGISTRY_STOPPED", "Service unavailable", "the registry is stopping"));
    }
    Pending<T> pending = new Pending<>(write);
    queue.add(pending);
    return pending.done;
  }

  // ---- lifecycle ---------------------------------------------------------------------------

  @Override
  public void start() {
    load();
    running = true;
    AtomicInteger answerers = new AtomicInteger();
    answers =
        Executors.newFixedThreadPool(
            ANSWERERS,
            r -> {
              Thread t = new Thread(r, "registry-answer-" + answerers.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    writer = new Thread(this::writeLoop, "registry-writer");
    writer.setDaemon(true);
    writer.start();
    reaper =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "registry-sessions");
              t.setDaemon(true);
              return t;
            });
    reaper.scheduleWithFixedDelay(this::reap, 200, 200, TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() throws InterruptedException {
    running = false;
    if (reaper != null) {
      reaper.shutdownNow();
    }
    if (writer != null) {
      queue.add(new Pending<Void>(null)); // wakes the writer; it drains what is queued, then ends
      writer.join(10_000);
    }
    if (answers != null) {
      answers.shutdown(); // the last batch's answers are still given
      answers.awaitTermination(5, TimeUnit.SECONDS);
    }
    blocking.close();
  }

  private void load() {
    jdbi.useHandle(
        h -> {
          h.createQuery("SELECT * FROM kv")
              .map(
                  (rs, ctx) ->
                      new KvEntry(
                          rs.getString("key"),
                          rs.getLong("create_index"),
                          rs.getLong("modify_index"),
                          rs.getLong("lock_index"),
                          rs.getLong("flags"),
                          rs.getBytes("value"),
                          rs.getString("session")))
              .forEach(e -> kv.put(e.key(), e));
          h.createQuery("SELECT * FROM registry_sessions")
              .map(
                  (rs, ctx) ->
                      new RegistrySession(
                          rs.getString("id"),
                          rs.getString("name"),
                          rs.getString("node"),
                          rs.getLong("ttl_ms"),
                          rs.getString("behavior"),
                          rs.getLong("lock_delay_ms"),
                          rs.getLong("create_index"),
                          rs.getLong("modify_index")))
              .forEach(s -> sessions.put(s.id(), s));
          long stored =
              h.createQuery("SELECT value FROM registry_meta WHERE name = 'index'")
                  .mapTo(Long.class)
                  .findOne()
                  .orElse(0L);
          long max = stored;
          for (KvEntry e : kv.values()) {
            max = Math.max(max, e.modifyIndex());
            kvIndex = Math.max(kvIndex, e.modifyIndex());
          }
          for (RegistrySession s : sessions.values()) {
            max = Math.max(max, s.modifyIndex());
            sessionsIndex = Math.max(sessionsIndex, s.modifyIndex());
          }
          index.set(max);
          kvIndex = Math.max(kvIndex, stored);
          sessionsIndex = Math.max(sessionsIndex, stored);
        });
    // As Consul does after a leader change: every session gets a full TTL from now.
    long now = System.currentTimeMillis();
    sessions.values().stream()
        .filter(s -> s.ttlMillis() > 0)
        .forEach(s -> deadlines.put(s.id(), now + s.ttlMillis()));
    log.info("registry: {} keys, {} sessions, index {}", kv.size(), sessions.size(), index.get());
  }

  /** Ends the sessions whose TTL passed; forgets tombstones no blocked read can still need. */
  private void reap() {
    long now = System.currentTimeMillis();
    deadlines.forEach(
        (id, deadline) -> {
          if (deadline <= now && ending.add(id)) {
            log.info("registry: session {} expired (no renewal within its TTL)", id);
            destroySession(id).whenComplete((ended, failure) -> ending.remove(id));
          }
        });
    tombstones.entrySet().removeIf(e -> e.getValue()[1] + TOMBSTONE_MILLIS < now);
    lockDelays.entrySet().removeIf(e -> e.getValue() <= now);
  }

  private void writeLoop() {
    List<Pending<?>> taken = new ArrayList<>();
    while (true) {
      try {
        taken.add(queue.take());
      } catch (InterruptedException e) {
        return;
      }
      queue.drainTo(taken, MAX_BATCH - 1);
      boolean last = taken.stream().anyMatch(p -> p.write == null);
      taken.removeIf(p -> p.write == null);
      if (!taken.isEmpty()) {
        write(taken);
      }
      taken.clear();
      if (last || (!running && queue.isEmpty())) {
        return;
      }
    }
  }

  private void write(List<Pending<?>> pendings) {
    Batch batch = new Batch();
    for (Pending<?> pending : pendings) {
      batch.opIndex = 0;
      try {
        pending.result = pending.write.apply(batch);
        if (pending.result instanceof TxnOutcome outcome && !outcome.ok()) {
          batch.discard();
        } else {
          batch.keep();
        }
      } catch (RuntimeException e) {
        batch.discard();
        pending.result = e;
      }
    }
    if (committed(batch, pendings)) {
      batch.publish();
      batch.wake();
    }
    // Each write's answer (its caller's response, written by whatever waits on the future) is
    // given on other threads, while this one goes on to commit the next batch.
    Blocking.inShares(List.copyOf(pendings), ANSWERERS, answers, Pending::complete);
  }

  /** Commits {@code batch}; when that fails, every write of it fails with a 500 instead. */
  private boolean committed(Batch batch, List<Pending<?>> pendings) {
    try {
      jdbi.useTransaction(batch::commit);
      return true;
    } catch (RuntimeException e) {
      log.error(
          "registry: a write failed to commit; none of its {} writes applied", pendings.size(), e);
      ApiException failure =
          ApiException.serverError(
              500,
              "REGISTRY_WRITE_FAILED",
              "Internal server error",
              "the registry could not commit the write (" + e.getMessage() + "); nothing changed");
      pendings.forEach(p -> p.result = failure);
      return false;
    }
  }

  private static final class Pending<T> {
    final Function<Batch, T> write;
    final CompletableFuture<T> done = new CompletableFuture<>();
    Object result;

    @SuppressWarnings("unchecked")
    void complete() {
      if (result instanceof RuntimeException e) {
        done.completeExceptionally(e);
      } else {
        done.complete((T) result);
      }
    }

    Pending(Function<Batch, T> write) {
      this.write = write;
    }
  }

  /**
   * The writes of one group commit, seen over what is published: those kept so far ({@code kept*})
   * and those of the write being applied ({@code kv}, {@code sessions}), which a failure drops.
   */
  private final class Batch implements KvOps.View {
    final Map<String, Optional<KvEntry>> keptKv = new LinkedHashMap<>();
    final Map<String, Optional<RegistrySession>> keptSessions = new LinkedHashMap<>();
    final Map<String, Long> keptDelays = new HashMap<>();
    final Map<String, Optional<KvEntry>> kvChanges = new LinkedHashMap<>();
    final Map<String, Optional<RegistrySession>> sessions = new LinkedHashMap<>();
    final Map<String, Long> delays = new HashMap<>();
    final Set<String> keptDeadlineDrops = new HashSet<>();
    long kvMax;
    long sessionsMax;
    long current;
    int opIndex;

    /** The index of the write being applied (one per write, however many keys it changes). */
    @Override
    public long index() {
      if (current == 0) {
        current = index.incrementAndGet();
      }
      return current;
    }

    @Override
    public KvEntry get(String key) {
      Optional<KvEntry> changed = kvChanges.get(key);
      if (changed == null) {
        changed = keptKv.get(key);
      }
      return changed != null ? changed.orElse(null) : kv.get(key);
    }

    @Override
    public Collection<KvEntry> range(String prefix) {
      TreeMap<String, KvEntry> view = new TreeMap<>();
      for (KvEntry e : kv.tailMap(prefix).values()) {
        if (!e.key().startsWith(prefix)) {
          break;
        }
        view.put(e.key(), e);
      }
      for (Map<String, Optional<KvEntry>> layer : List.of(keptKv, kvChanges)) {
        layer.forEach(
            (key, entry) -> {
              if (key.startsWith(prefix)) {
                if (entry.isPresent()) {
                  view.put(key, entry.get());
                } else {
                  view.remove(key);
                }
              }
            });
      }
      return view.values();
    }

    @Override
    public RegistrySession session(String id) {
      Optional<RegistrySession> changed = sessions.get(id);
      if (changed == null) {
        changed = keptSessions.get(id);
      }
      return changed != null ? changed.orElse(null) : Registry.this.sessions.get(id);
    }

    @Override
    public void put(KvEntry entry) {
      kvChanges.put(entry.key(), Optional.of(entry));
    }

    @Override
    public void delete(String key) {
      if (get(key) != null) {
        kvChanges.put(key, Optional.empty());
        index();
      }
    }

    boolean endSession(String id) {
      RegistrySession session = session(id);
      if (session == null) {
        return false;
      }
      sessions.put(id, Optional.empty());
      long idx = index();
      for (KvEntry entry : new ArrayList<>(range(""))) {
        if (id.equals(entry.session())) {
          if (session.deletes()) {
            delete(entry.key());
          } else {
            put(
                new KvEntry(
                    entry.key(),
                    entry.createIndex(),
                    idx,
                    entry.lockIndex(),
                    entry.flags(),
                    entry.value(),
                    null));
            if (session.lockDelayMillis() > 0) {
              delays.put(entry.key(), System.currentTimeMillis() + session.lockDelayMillis());
            }
          }
        }
      }
      return true;
    }

    TxnOutcome txn(List<KvOp> ops) {
      return new KvOps(this).txn(ops);
    }

    @Override
    public long currentIndex() {
      return current;
    }

    @Override
    public long kvIndex() {
      return kvIndex;
    }

    @Override
    public Long lockDelayUntil(String key) {
      return keptDelays.getOrDefault(key, lockDelays.get(key));
    }

    /** The write applied: its changes join the batch. */
    void keep() {
      kvChanges.forEach(
          (key, entry) -> {
            keptKv.put(key, entry);
            kvMax = Math.max(kvMax, current);
          });
      sessions.forEach(
          (id, session) -> {
            keptSessions.put(id, session);
            sessionsMax = Math.max(sessionsMax, current);
          });
      keptDelays.putAll(delays);
      clearWrite();
    }

    /** The write failed: its changes are dropped. */
    void discard() {
      clearWrite();
    }

    private void clearWrite() {
      kvChanges.clear();
      sessions.clear();
      delays.clear();
      current = 0;
    }

    void commit(Handle h) {
      if (!keptKv.isEmpty()) {
        PreparedBatch upsert =
            h.prepareBatch(
                "INSERT OR REPLACE INTO kv (key, value, flags, create_index, modify_index,"
                    + " lock_index, session) VALUES (?, ?, ?, ?, ?, ?, ?)");
        PreparedBatch delete = h.prepareBatch("DELETE FROM kv WHERE key = ?");
        keptKv.forEach(
            (key, entry) -> {
              if (entry.isPresent()) {
                KvEntry e = entry.get();
                upsert.add(
                    key,
                    e.value(),
                    e.flags(),
                    e.createIndex(),
                    e.modifyIndex(),
                    e.lockIndex(),
                    e.session());
              } else {
                delete.add(key);
              }
            });
        if (upsert.size() > 0) {
          upsert.execute();
        }
        if (delete.size() > 0) {
          delete.execute();
        }
      }
      keptSessions.forEach(
          (id, session) -> {
            if (session.isPresent()) {
              RegistrySession s = session.get();
              h.execute(
                  "INSERT OR REPLACE INTO registry_sessions (id, name, node, ttl_ms, behavior,"
                      + " lock_delay_ms, create_index, modify_index) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                  s.id(),
                  s.name(),
                  s.node(),
                  s.ttlMillis(),
                  s.behavior(),
                  s.lockDelayMillis(),
                  s.createIndex(),
                  s.modifyIndex());
            } else {
              h.execute("DELETE FROM registry_sessions WHERE id = ?", id);
            }
          });
      h.execute(
          "INSERT OR REPLACE INTO registry_meta (name, value) VALUES ('index', ?)", index.get());
    }

    /** Shows the batch to readers, all at once. */
    void publish() {
      long now = System.currentTimeMillis();
      published.writeLock().lock();
      try {
        keptKv.forEach(
            (key, entry) -> {
              if (entry.isPresent()) {
                kv.put(key, entry.get());
                tombstones.remove(key);
              } else if (kv.remove(key) != null) {
                tombstones.put(key, new long[] {kvMax, now});
              }
            });
        if (kvMax > kvIndex) {
          kvIndex = kvMax;
        }
      } finally {
        published.writeLock().unlock();
      }
      keptSessions.forEach(
          (id, session) -> {
            if (session.isPresent()) {
              Registry.this.sessions.put(id, session.get());
              if (session.get().ttlMillis() > 0) {
                deadlines.put(id, now + session.get().ttlMillis());
              }
            } else {
              Registry.this.sessions.remove(id);
              deadlines.remove(id);
            }
          });
      if (sessionsMax > sessionsIndex) {
        sessionsIndex = sessionsMax;
      }
      lockDelays.putAll(keptDelays);
    }

    void wake() {
      keptKv.keySet().forEach(blocking::wakeKey);
      if (!keptKv.isEmpty()) {
        Set<String> changed = Set.copyOf(keptKv.keySet());
        keyListeners.forEach(listener -> listener.accept(changed));
      }
      if (!keptSessions.isEmpty()) {
        blocking.wake(SESSIONS);
      }
    }
  }

  /** The topic every session read waits on. */
  public static final String SESSIONS = "sessions";
}
