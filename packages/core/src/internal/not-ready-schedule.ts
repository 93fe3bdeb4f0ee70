import { maxBackoffMs } from './retry-delay.js';

/**
 * When to ask again for a generation whose stats are not ready yet. OpenRouter serves them
 * typically 0.5 to 2 s after the completion ends, sometimes several seconds: the k-th renewed
 * attempt is aimed at `firstMs * growth^k` after the anchor (the lookup's start, or when the
 * completion ended if the caller said), so the first lands just past the typical readiness
 * and later ones keep the overshoot past readiness proportional to the delay (at most 0.7
 * times it, about a quarter on average) with few requests. No gap exceeds 8 s.
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
 */
export function notReadyAimMs(index: number, scale: number): number {
  const { firstMs, growth } = notReadySchedule;
  let aim = firstMs * scale;
  for (let step = 1; step <= index; step++) {
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
): number {
  const { jitter, minimumGap, firstMs } = notReadySchedule;
  const aim = notReadyAimMs(index, scale) * (1 - jitter + 2 * jitter * random());
  return Math.round(Math.max(aim - elapsedMs, minimumGap * firstMs * scale));
}
