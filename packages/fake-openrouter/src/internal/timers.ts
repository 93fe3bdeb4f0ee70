/** Sleeps that all end when the fake closes, so no timer outlives the server. */
export interface Sleeper {
  /** Resolves after `ms`, or never once cancelled (the request is gone by then). */
  sleep(ms: number): Promise<void>;
  cancelAll(): void;
}

export function createSleeper(): Sleeper {
  const timers = new Set<NodeJS.Timeout>();
  return {
    sleep(ms) {
      if (ms <= 0) return Promise.resolve();
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, ms);
        timers.add(timer);
      });
    },
    cancelAll() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
