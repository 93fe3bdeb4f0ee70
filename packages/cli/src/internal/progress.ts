import type { RunOutput } from '../run';

/** A `12/40` counter on a terminal's stderr, rewritten in place and cleared at the end. */
export interface Progress {
  tick(): void;
  clear(): void;
}

const silent: Progress = { tick() {}, clear() {} };

/** A counter for `total` lookups, or one that prints nothing when stderr is not a terminal. */
export function createProgress(stderr: RunOutput, total: number): Progress {
  if (stderr.isTTY !== true || total < 2) return silent;
  let done = 0;
  let shown = false;
  let lastDrawn = 0;
  const draw = () => {
    stderr.write(`\r\u001b[K${done}/${total}`);
    shown = true;
    lastDrawn = Date.now();
  };
  draw();
  return {
    tick() {
      done += 1;
      // Redrawing thousands of times a second only costs time; the last one is always drawn.
      if (done === total || Date.now() - lastDrawn >= 50) draw();
    },
    clear() {
      if (shown) stderr.write('\r\u001b[K');
      shown = false;
    },
  };
}
