/** Runs at most `concurrency` tasks at once; the rest wait in FIFO order. */
export class Limiter {
  #running = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(private readonly concurrency: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#running >= this.concurrency) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#running += 1;
    }
    try {
      return await task();
    } finally {
      const next = this.#waiting.shift();
      // The slot passes straight to the next waiter.
      if (next) next();
      else this.#running -= 1;
    }
  }
}
