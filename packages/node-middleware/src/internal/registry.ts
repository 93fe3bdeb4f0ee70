/** Bounded set of recently seen ids, oldest forgotten first. */
export class RecentIds {
  readonly #ids = new Set<string>();
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  add(id: string): void {
    // Re-inserting moves the id to the young end of the insertion order.
    this.#ids.delete(id);
    this.#ids.add(id);
    if (this.#ids.size > this.#capacity) {
      const oldest = this.#ids.values().next();
      if (!oldest.done) this.#ids.delete(oldest.value);
    }
  }

  has(id: string): boolean {
    return this.#ids.has(id);
  }

  get size(): number {
    return this.#ids.size;
  }
}

/** How many recently tracked ids the process remembers for `generationProxy`. */
export const TRACKED_ID_CAPACITY = 10_000;

/** Ids tracked by any costLogger of this process (module-level: one per loaded package copy). */
export const trackedIds = new RecentIds(TRACKED_ID_CAPACITY);
