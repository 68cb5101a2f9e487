package dev.cast.api.core;

import io.temporal.api.common.v1.WorkflowExecution;
import java.util.function.Supplier;

/**
 * What a deployment does as it starts, once its id is known, and undoes when its workflow does not
 * start: e.g. end the INTERRUPTED deployment it resumes, which must happen once, and under the
 * launcher's per-app guard.
 */
interface Link {
  /** Links nothing. */
  Link NONE =
      new Link() {
        @Override
        public void claim(String id) {}

        @Override
        public void release(String id) {}
      };

  /** Done before the workflow starts; throws to refuse the start. */
  void claim(String id);

  /** Undoes {@link #claim} when the workflow did not start. */
  void release(String id);

  /** Claims, starts, and releases again when the start fails. */
  default WorkflowExecution around(String id, Supplier<WorkflowExecution> start) {
    claim(id);
    try {
      return start.get();
    } catch (RuntimeException e) {
      release(id);
      throw e;
    }
  }
}
