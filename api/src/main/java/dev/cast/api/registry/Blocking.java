package dev.cast.api.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Consul's blocking queries: a read that names {@code ?index=N} is answered as soon as its result's
 * index passes N, or when its wait runs out with the index unchanged. A waiting read holds no
 * thread: it is a future parked on a topic (a key, a key prefix, the catalog, the sessions). The
 * write that changes a topic wakes its waiters; each reads again and answers if its index moved,
 * else parks again. Timeouts share one scheduler thread.
 */
public final class Blocking implements AutoCloseable {
  /** A read's answer and the index it was read at. */
  public record Answer<T>(long index, T body) {}

  private static final int WAKERS = 4;

  private final ConcurrentHashMap<String, Set<Waiter<?>>> topics = new ConcurrentHashMap<>();
  private final ScheduledThreadPoolExecutor timer;
  private final ExecutorService wakers;
  private final AtomicInteger waiting = new AtomicInteger();

  public Blocking() {
    timer =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "registry-timeouts");
              t.setDaemon(true);
              return t;
            });
    timer.setRemoveOnCancelPolicy(true);
    AtomicInteger n = new AtomicInteger();
    wakers =
        Executors.newFixedThreadPool(
            WAKERS,
            r -> {
              Thread t = new Thread(r, "registry-wake-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /** How many reads are parked now. */
  public int waiting() {
    return waiting.get();
  }

  /**
   * Answers {@code read} now when {@code minIndex} is 0 or its index is past it; else parks it on
   * {@code topics} until a write there moves its index past {@code minIndex}, or {@code wait} (plus
   * up to 1/16 of it, as Consul adds, so watchers that started together do not return together).
   */
  public <T> CompletionStage<Answer<T>> await(
      long minIndex, Duration wait, Supplier<Answer<T>> read, String... on) {
    Answer<T> now = read.get();
    if (minIndex <= 0 || now.index() > minIndex || wait.isZero()) {
      return CompletableFuture.completedFuture(now);
    }
    Waiter<T> waiter = new Waiter<>(minIndex, read, on);
    long millis = wait.toMillis();
    millis += ThreadLocalRandom.current().nextLong(millis / 16 + 1);
    waiter.timeout = timer.schedule(waiter::expire, millis, TimeUnit.MILLISECONDS);
    waiting.incrementAndGet();
    waiter.park();
    // A write that published before the waiter was parked woke nobody: read once more.
    waiter.check();
    return waiter.future;
  }

  /** A write changed {@code topic}: its waiters read again. */
  public void wake(String topic) {
    Set<Waiter<?>> parked = topics.remove(topic);
    if (parked == null) {
      return;
    }
    for (Waiter<?> waiter : parked) {
      waiter.unpark();
    }
    inShares(new ArrayList<>(parked), WAKERS, wakers, Waiter::check);
  }

  /**
   * Runs {@code each} on every item of {@code all}, as one task per thread of {@code executor} (it
   * has {@code threads}), each with its share, rather than one task an item: a thousand watchers of
   * a key are a thousand answers, not a thousand hand-offs.
   */
  static <T> void inShares(List<T> all, int threads, Executor executor, Consumer<T> each) {
    int share = Math.max(1, (all.size() + threads - 1) / threads);
    for (int from = 0; from < all.size(); from += share) {
      List<T> part = all.subList(from, Math.min(all.size(), from + share));
      executor.execute(() -> part.forEach(each));
    }
  }

  /** The topic of one key: a read of that key waits on it. */
  public static String key(String key) {
    return "k:" + key;
  }

  /** The topic of a key prefix: a recursive read or a key listing waits on it. */
  public static String prefix(String prefix) {
    return "p:" + prefix;
  }

  /** Wakes the readers of {@code key} and of every prefix of it. */
  public void wakeKey(String key) {
    wake(key(key));
    for (int i = 0; i <= key.length(); i++) {
      wake(prefix(key.substring(0, i)));
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    wakers.shutdownNow();
  }

  private final class Waiter<T> {
    final long minIndex;
    final Supplier<Answer<T>> read;
    final String[] on;
    final CompletableFuture<Answer<T>> future = new CompletableFuture<>();
    final AtomicBoolean done = new AtomicBoolean();
    volatile ScheduledFuture<?> timeout;

    Waiter(long minIndex, Supplier<Answer<T>> read, String[] on) {
      this.minIndex = minIndex;
      this.read = read;
      this.on = on;
    }

    void park() {
      for (String topic : on) {
        topics.computeIfAbsent(topic, t -> ConcurrentHashMap.newKeySet()).add(this);
      }
    }

    void unpark() {
      for (String topic : on) {
        topics.computeIfPresent(
            topic,
            (t, set) -> {
              set.remove(this);
              return set.isEmpty() ? null : set;
            });
      }
    }

    /** Reads again: answers if the index moved, else waits on. */
    void check() {
      if (done.get()) {
        return;
      }
      Answer<T> answer;
      try {
        answer = read.get();
      } catch (RuntimeException e) {
        finish(null, e);
        return;
      }
      if (answer.index() > minIndex) {
        finish(answer, null);
      } else {
        park();
        // Woken again between the read and parking: that wake found nobody, so read once more.
        Answer<T> again = read.get();
        if (again.index() > minIndex) {
          finish(again, null);
        }
      }
    }

    void expire() {
      try {
        finish(read.get(), null);
      } catch (RuntimeException e) {
        finish(null, e);
      }
    }

    void finish(Answer<T> answer, Throwable failure) {
      if (!done.compareAndSet(false, true)) {
        return;
      }
      unpark();
      waiting.decrementAndGet();
      ScheduledFuture<?> t = timeout;
      if (t != null) {
        t.cancel(false);
      }
      if (failure != null) {
        future.completeExceptionally(failure);
      } else {
        future.complete(answer);
      }
    }
  }
}
