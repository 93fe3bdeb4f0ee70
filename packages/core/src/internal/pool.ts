import { positiveInteger } from './option-checks.js';
/** Runs `task` once one of the pool's slots is free; settles as it does. */
export type Pool = <T>(task: () => T | Promise<T>) => Promise<T>;

/** Throws a RangeError unless `concurrency` is a positive integer. */
export function checkConcurrency(concurrency: number): void {
  positiveInteger('concurrency', concurrency, 1);
}

/** The one bounded-concurrency pool: tasks run at most `concurrency` at a time, in order. */
export function createPool(concurrency: number): Pool {
  checkConcurrency(concurrency);
  const waiting: (() => void)[] = [];
  let free = concurrency;
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else free++;
  };
  return (task) =>
    new Promise((resolve, reject) => {
      const start = (): void => {
        // A task that throws synchronously rejects like one that rejects.
        new Promise<Awaited<ReturnType<typeof task>>>((settle) => settle(task() as never))
          .then(resolve, reject)
          .finally(release);
      };
      if (free > 0) {
        free--;
        start();
      } else {
        waiting.push(start);
      }
    });
}
