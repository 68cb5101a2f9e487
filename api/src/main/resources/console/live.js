// Keeping a page live: a loop that reads again until the page is left or the reader says stop.
import { showError } from './dom.js';

/** Resolves after ms, or at once when signal aborts. */
export function sleep(ms, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

/**
 * Runs fn now and then every ms until signal aborts or fn returns false. An error shows in the
 * error line and the loop goes on (the next read may succeed).
 */
export async function every(ms, signal, fn) {
  while (!signal.aborted) {
    let more = true;
    try {
      more = await fn();
      showError(null);
    } catch (e) {
      if (e.name === 'AbortError' || signal.aborted) return;
      showError(e);
      if (e.status === 401) return;
    }
    if (more === false) return;
    await sleep(ms, signal);
  }
}
