package dev.cast.activities.supervisor;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The supervisor's one small scheduled pool, on which every timer, exit handler, health check and
 * listener call runs, and the closed flag that stops them all. Once closed, nothing new is
 * scheduled: a task handed in then is dropped.
 */
final class Timers {
  /** How soon a timer that found a deliberate operation under way tries again. */
  private static final Duration BUSY_RETRY = Duration.ofMillis(20);

  private static final int THREADS = 4;

  private final ScheduledThreadPoolExecutor pool;
  private volatile boolean closed;

  Timers() {
    AtomicInteger threads = new AtomicInteger();
    this.pool =
        new ScheduledThreadPoolExecutor(
            THREADS,
            r -> {
              Thread t = new Thread(r, "cast-supervisor-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    pool.setRemoveOnCancelPolicy(true);
    pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    pool.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
  }

  boolean closed() {
    return closed;
  }

  /** Runs the task once after the delay; null when closing. */
  ScheduledFuture<?> later(Runnable task, Duration delay) {
    try {
      return pool.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      return null;
    }
  }

  /**
   * Runs the task every {@code period}, the first time one period from now.
   *
   * @throws RejectedExecutionException when closing
   */
  ScheduledFuture<?> every(Runnable task, Duration period) {
    long millis = period.toMillis();
    return pool.scheduleWithFixedDelay(task, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** Runs the task on the pool as soon as a thread is free; dropped when closing. */
  void execute(Runnable task) {
    try {
      pool.execute(task);
    } catch (RejectedExecutionException e) {
      // Closing: nothing more runs.
    }
  }

  /**
   * Runs the task on the pool when the process exits.
   *
   * @throws RejectedExecutionException may be thrown when closing
   */
  void onExit(Process process, Runnable task) {
    process.onExit().thenRunAsync(task, pool);
  }

  /**
   * Runs the task holding the lock, unless closed. While a deliberate operation holds the lock the
   * task is tried again a moment later rather than waited for: a timer thread must not block for a
   * stop's grace period, and the operation either deals with what the task would have or leaves it
   * for the retry.
   */
  void whenFree(ReentrantLock lock, Runnable task) {
    if (closed) {
      return;
    }
    if (!lock.tryLock()) {
      later(() -> whenFree(lock, task), BUSY_RETRY);
      return;
    }
    try {
      task.run();
    } finally {
      lock.unlock();
    }
  }

  /** Stops anything new from being scheduled; call before cancelling the units' timers. */
  void closing() {
    closed = true;
  }

  /** Drops every pending task and waits a few seconds for running ones to end. */
  void shutdown() {
    pool.shutdownNow();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
