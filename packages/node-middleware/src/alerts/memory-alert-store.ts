import type { AlertContribution, AlertContributor, AlertStore } from '@genmeta/core/engine';
import { roundUsd } from '@genmeta/core/engine';
import { BoundedMap } from './bounded-map.js';

/**
 * Contributors kept per counter and dimension: the largest survive, a new one replaces the
 * smallest when it is larger (alerts name the top 3; a few more keep the ranking honest).
 */
const TALLY_SIZE = 8;

/** Names and amounts side by side: a linear scan of 8 beats a Map on CPU and memory. */
interface Tally {
  names: string[];
  amounts: number[];
}

interface Counter {
  totalUsd: number;
  expiresAtMs: number;
  tallies: Record<string, Tally> | undefined;
}

function addToTally(tally: Tally, name: string, amountUsd: number): void {
  const { names, amounts } = tally;
  const at = names.indexOf(name);
  if (at >= 0) {
    amounts[at]! += amountUsd;
    return;
  }
  if (names.length < TALLY_SIZE) {
    names.push(name);
    amounts.push(amountUsd);
    return;
  }
  let smallest = 0;
  for (let index = 1; index < amounts.length; index += 1) {
    if (amounts[index]! < amounts[smallest]!) smallest = index;
  }
  if (amountUsd > amounts[smallest]!) {
    names[smallest] = name;
    amounts[smallest] = amountUsd;
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
 * Counters and claims in memory, at most `maxEntries` of each (past it the least recently used
 * half goes). An
 * expired counter starts again from 0 when next written. `now` is the clock the TTLs run on.
 */
export function createMemoryAlertStore(maxEntries: number, now: () => number): MemoryAlertStore {
  const counters = new BoundedMap<Counter>(maxEntries);
  const claims = new BoundedMap<number>(maxEntries);

  return {
    add(key, amountUsd, ttlMs, contributions) {
      const nowMs = now();
      let counter = counters.get(key);
      if (counter === undefined || counter.expiresAtMs <= nowMs) {
        if (counter !== undefined) counters.delete(key);
        counter = { totalUsd: 0, expiresAtMs: nowMs + ttlMs, tallies: undefined };
        counters.set(key, counter);
      }
      counter.totalUsd += amountUsd;
      if (contributions !== undefined) {
        if (counter.tallies === undefined) counter.tallies = {};
        const { tallies } = counter;
        for (const contribution of contributions) {
          let tally = tallies[contribution.dimension];
          if (tally === undefined) {
            tally = { names: [], amounts: [] };
            tallies[contribution.dimension] = tally;
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
        const tally = counter?.tallies?.[dimension];
        answer[dimension] =
          tally === undefined
            ? []
            : tally.names
                .map((name, index) => ({ name, amountUsd: roundUsd(tally.amounts[index]!) }))
                .sort((a, b) => b.amountUsd - a.amountUsd)
                .slice(0, limit);
      }
      return answer;
    },
    claim(id, ttlMs) {
      const nowMs = now();
      const expiresAtMs = claims.get(id);
      if (expiresAtMs !== undefined && expiresAtMs > nowMs) return false;
      claims.delete(id);
      claims.set(id, nowMs + ttlMs);
      return true;
    },
    get size() {
      return counters.size + claims.size;
    },
  };
}
