import type { AlertContribution, AlertContributor, AlertStore } from '@genmeta/core/engine';
import { roundUsd } from '@genmeta/core/engine';

/** Contributors kept per counter and dimension: the largest survive, a new one replaces the smallest. */
const TALLY_SIZE = 32;

interface Counter {
  totalUsd: number;
  expiresAtMs: number;
  tallies: Map<string, Map<string, number>>;
}

function addToTally(tally: Map<string, number>, name: string, amountUsd: number): void {
  const current = tally.get(name);
  if (current !== undefined) {
    tally.set(name, current + amountUsd);
    return;
  }
  if (tally.size < TALLY_SIZE) {
    tally.set(name, amountUsd);
    return;
  }
  let smallestName: string | undefined;
  let smallest = Number.POSITIVE_INFINITY;
  for (const [other, amount] of tally) {
    if (amount < smallest) {
      smallest = amount;
      smallestName = other;
    }
  }
  if (smallestName !== undefined && amountUsd > smallest) {
    tally.delete(smallestName);
    tally.set(name, amountUsd);
  }
}

/** An {@link AlertStore} in this process's memory (what each instance uses without Redis). */
export interface MemoryAlertStore extends AlertStore {
  add(
    key: string,
    amountUsd: number,
    ttlMs: number,
    contributions?: readonly AlertContribution[],
  ): number;
  top(
    key: string,
    dimensions: readonly string[],
    limit: number,
  ): Record<string, AlertContributor[]>;
  claim(id: string, ttlMs: number): boolean;
  /** Counters and claims held. */
  readonly size: number;
}

/**
 * Counters and claims in memory, at most `maxEntries` of each (expired ones go first, then the
 * least recently written). `now` is the clock the TTLs run on.
 */
export function createMemoryAlertStore(maxEntries: number, now: () => number): MemoryAlertStore {
  const counters = new Map<string, Counter>();
  const claims = new Map<string, number>();

  function makeRoom<T>(map: Map<string, T>, expiresAt: (value: T) => number): void {
    if (map.size < maxEntries) return;
    const nowMs = now();
    for (const [key, value] of map) if (expiresAt(value) <= nowMs) map.delete(key);
    // still full: the least recently written goes (a Map iterates in insertion order)
    while (map.size >= maxEntries) map.delete(map.keys().next().value as string);
  }

  return {
    add(key, amountUsd, ttlMs, contributions) {
      const nowMs = now();
      let counter = counters.get(key);
      if (counter === undefined || counter.expiresAtMs <= nowMs) {
        if (counter !== undefined) counters.delete(key);
        makeRoom(counters, (value) => value.expiresAtMs);
        counter = { totalUsd: 0, expiresAtMs: nowMs + ttlMs, tallies: new Map() };
        counters.set(key, counter);
      }
      counter.totalUsd += amountUsd;
      if (contributions !== undefined) {
        for (const contribution of contributions) {
          let tally = counter.tallies.get(contribution.dimension);
          if (tally === undefined) {
            tally = new Map();
            counter.tallies.set(contribution.dimension, tally);
          }
          addToTally(tally, contribution.name, contribution.amountUsd);
        }
      }
      return roundUsd(counter.totalUsd);
    },
    top(key, dimensions, limit) {
      const counter = counters.get(key);
      const answer: Record<string, AlertContributor[]> = {};
      for (const dimension of dimensions) {
        const tally = counter?.tallies.get(dimension);
        answer[dimension] =
          tally === undefined
            ? []
            : [...tally]
                .sort((a, b) => b[1] - a[1])
                .slice(0, limit)
                .map(([name, amountUsd]) => ({ name, amountUsd: roundUsd(amountUsd) }));
      }
      return answer;
    },
    claim(id, ttlMs) {
      const nowMs = now();
      const expiresAtMs = claims.get(id);
      if (expiresAtMs !== undefined && expiresAtMs > nowMs) return false;
      claims.delete(id);
      makeRoom(claims, (value) => value);
      claims.set(id, nowMs + ttlMs);
      return true;
    },
    get size() {
      return counters.size + claims.size;
    },
  };
}
