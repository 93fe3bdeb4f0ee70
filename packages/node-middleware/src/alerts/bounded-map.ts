/**
 * A map that holds at most `max` entries, forgetting the least recently used half at once when
 * full: two generations, the current one and the previous one; an entry read from the previous
 * one moves to the current one. O(1) per call, where evicting from the front of one big Map
 * degrades (every deleted slot is skipped again by the next `keys().next()` until it rehashes).
 */
export class BoundedMap<V> {
  #current = new Map<string, V>();
  #previous = new Map<string, V>();
  readonly #half: number;

  constructor(max: number) {
    this.#half = Math.max(1, Math.floor(max / 2));
  }

  get(key: string): V | undefined {
    const value = this.#current.get(key);
    if (value !== undefined) return value;
    const old = this.#previous.get(key);
    if (old !== undefined) {
      this.#previous.delete(key);
      this.set(key, old);
    }
    return old;
  }

  set(key: string, value: V): void {
    if (this.#current.size >= this.#half && !this.#current.has(key)) {
      this.#previous = this.#current;
      this.#current = new Map();
    }
    this.#current.set(key, value);
  }

  delete(key: string): void {
    this.#current.delete(key);
    this.#previous.delete(key);
  }

  get size(): number {
    return this.#current.size + this.#previous.size;
  }
}
