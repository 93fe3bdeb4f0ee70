import type { RunOutput } from '../io.js';

/**
 * Progress on a terminal's stderr, rewritten in place and erased at the end: a `12/40` counter
 * for several ids, plus how many are not ready yet while the client waits for them.
 */
export interface Progress {
  /** a lookup is waiting for a not-ready generation */
  waiting(id: string): void;
  /** a lookup finished */
  done(id: string): void;
  clear(): void;
}

const silent: Progress = { waiting() {}, done() {}, clear() {} };

// Redrawing thousands of times a second only costs time; the last state is always drawn.
const redrawIntervalMs = 50;

/** Progress for `total` lookups, or one that prints nothing when stderr is not a terminal. */
export function createProgress(stderr: RunOutput, total: number): Progress {
  if (stderr.isTTY !== true || total < 1) return silent;
  let finished = 0;
  const waitingIds = new Set<string>();
  let shown = false;
  let lastDrawn = 0;
  const draw = (force: boolean) => {
    if (!force && Date.now() - lastDrawn < redrawIntervalMs) return;
    const parts: string[] = [];
    if (total > 1) parts.push(`${finished}/${total}`);
    if (waitingIds.size > 0) {
      parts.push(
        total > 1
          ? `(${waitingIds.size} not ready yet, waiting)`
          : 'not ready yet, waiting for its stats…',
      );
    }
    if (parts.length === 0) return;
    stderr.write(`\r\u001b[K${parts.join(' ')}`);
    shown = true;
    lastDrawn = Date.now();
  };
  draw(true);
  return {
    waiting(id) {
      const isNew = !waitingIds.has(id);
      waitingIds.add(id);
      draw(isNew && waitingIds.size === 1);
    },
    done(id) {
      finished += 1;
      waitingIds.delete(id);
      draw(finished === total);
    },
    clear() {
      if (shown) stderr.write('\r\u001b[K');
      shown = false;
    },
  };
}
