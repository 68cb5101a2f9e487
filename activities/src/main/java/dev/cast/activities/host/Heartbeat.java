package dev.cast.activities.host;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.time.Duration;

/**
 * Heartbeats of the running activity, sent at most every half second however often the waiting
 * loops tick. Create it on the activity's thread and tick it only from there.
 */
public final class Heartbeat implements Runnable {
  private static final long MIN_GAP_NANOS = Duration.ofMillis(500).toNanos();

  private final ActivityExecutionContext context;
  private Object details;
  private long lastSent = System.nanoTime() - MIN_GAP_NANOS;

  private Heartbeat(ActivityExecutionContext context, Object details) {
    this.context = context;
    this.details = details;
  }

  public static Heartbeat start(Object details) {
    return new Heartbeat(Activity.getExecutionContext(), details);
  }

  public void details(Object newDetails) {
    this.details = newDetails;
  }

  @Override
  public void run() {
    long now = System.nanoTime();
    if (now - lastSent >= MIN_GAP_NANOS) {
      lastSent = now;
      context.heartbeat(details);
    }
  }
}
