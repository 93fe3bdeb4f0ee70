import { maxBackoffMs } from './retry-delay.js';

/**
 * When to ask again for a generation whose stats are not ready yet. OpenRouter serves them
 * typically 0.5 to 2 s after the completion ends, sometimes several seconds: the k-th renewed
 * attempt is aimed at `firstMs * growth^k` after the anchor (the lookup's start, or when the
 * completion ended if the caller said), so the first lands just past the typical readiness
 * and later ones keep the overshoot past readiness proportional to the delay (at most 0.7
 * times it, about a quarter on average) with few requests. No gap exceeds 8 s. Once a client
 * has seen enough delays, its aims are learned from them instead (`readiness-learner.ts`).
 */
export const notReadySchedule = {
  /** Aim of the first renewed attempt after the anchor, at the default `retryDelayMs` (250). */
  firstMs: 550,
  /** Each aim is this many times the previous one. */
  growth: 1.7,
  /** Aims are spread by ± this fraction, so lookups started together do not ask together. */
  jitter: 0.05,
  /** Shortest wait between two attempts, as a fraction of `firstMs`. */
  minimumGap: 0.1,
} as const;

/**
 * ms after the anchor at which the renewed attempt number `index` (0 first) is aimed, before
 * jitter. `scale` is `retryDelayMs / 250`, so the one advanced knob speeds up tests too.
 * `learned`: aims learned from the delays this client saw (see `readiness-learner.ts`); past
 * the last of them the aims grow from it as the fixed ones do.
 */
export function notReadyAimMs(index: number, scale: number, learned?: readonly number[]): number {
  const { firstMs, growth } = notReadySchedule;
  const known = learned === undefined ? 0 : Math.min(index, learned.length - 1);
  let aim = learned === undefined ? firstMs * scale : (learned[known] as number);
  for (let step = known + 1; step <= index; step++) {
    aim = Math.min(aim * growth, aim + maxBackoffMs);
  }
  return aim;
}

/**
 * How long to wait before renewed attempt `index`, `elapsedMs` after the anchor: to its
 * (jittered) aim, or the minimum gap when the aim has already passed.
 */
export function notReadyDelay(
  index: number,
  elapsedMs: number,
  scale: number,
  random: () => number,
  learned?: readonly number[],
): number {
  const { jitter, minimumGap, firstMs } = notReadySchedule;
  const aim = notReadyAimMs(index, scale, learned) * (1 - jitter + 2 * jitter * random());
  return Math.round(Math.max(aim - elapsedMs, minimumGap * firstMs * scale));
}
