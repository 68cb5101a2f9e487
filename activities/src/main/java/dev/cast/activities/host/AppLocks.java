package dev.cast.activities.host;

import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One app's activities on a host run one at a time. A retried attempt may start while the attempt
 * it replaces (its heartbeat lost) still runs; it waits instead of racing it.
 */
public final class AppLocks {
  private final ConcurrentMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

  public interface Work<T> {
    T run() throws IOException;
  }

  public <T> T with(String app, Work<T> work) throws IOException {
    ReentrantLock lock = locks.computeIfAbsent(app, a -> new ReentrantLock());
    try {
      lock.lockInterruptibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the lock of " + app, e);
    }
    try {
      return work.run();
    } finally {
      lock.unlock();
    }
  }
}
