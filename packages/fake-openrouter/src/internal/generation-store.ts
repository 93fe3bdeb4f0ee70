import type { FakeGeneration } from '../types.js';

interface Entry {
  generation: FakeGeneration;
  /** `Date.now()` from which the stats are served; Infinity while the completion runs. */
  readyAt: number;
}

/** Generations by id, each with the moment its stats become visible. */
export class GenerationStore {
  readonly #entries = new Map<string, Entry>();

  put(generation: FakeGeneration, readyAt: number): void {
    this.#entries.set(generation.id, { generation, readyAt });
  }

  get(id: string): FakeGeneration | undefined {
    return this.#entries.get(id)?.generation;
  }

  /** The generation when its stats are ready, otherwise undefined (OpenRouter's 404). */
  ready(id: string, now = Date.now()): FakeGeneration | undefined {
    const entry = this.#entries.get(id);
    return entry && entry.readyAt <= now ? entry.generation : undefined;
  }

  markReady(id: string, readyAt: number): void {
    const entry = this.#entries.get(id);
    if (entry) entry.readyAt = readyAt;
  }

  /** Every generation whose completion has finished (readyAt set), in creation order. */
  *finished(): IterableIterator<FakeGeneration> {
    for (const entry of this.#entries.values()) {
      if (entry.readyAt !== Number.POSITIVE_INFINITY) yield entry.generation;
    }
  }

  clear(): void {
    this.#entries.clear();
  }
}
