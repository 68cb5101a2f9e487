package dev.cast.worker;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A task run soon after it is asked for, once for a burst of asks: the first ask schedules it
 * {@code delayMillis} later, and every ask until it starts is answered by that one run. An ask
 * while it runs schedules the next run, so what changed meanwhile is not lost.
 */
final class Coalesced {
  private final ScheduledExecutorService on;
  private final long delayMillis;
  private final Runnable task;
  private final AtomicBoolean pending = new AtomicBoolean();

  Coalesced(ScheduledExecutorService on, long delayMillis, Runnable task) {
    this.on = on;
    this.delayMillis = delayMillis;
    this.task = task;
  }

  /** Asks for a run; never blocks. */
  void ask() {
    if (pending.compareAndSet(false, true)) {
      on.schedule(this::run, delayMillis, TimeUnit.MILLISECONDS);
    }
  }

  private void run() {
    pending.set(false);
    task.run();
  }
}
