import { notReadyAimMs } from './not-ready-schedule.js';

/**
 * Learns when a generation's stats appear from the lookups that had to wait for them, and aims
 * the not-ready schedule at that distribution. Memory is bounded: the most recent
 * {@link readinessLearning.samples} delays, in a ring.
 */
export interface ReadinessLearner {
  /**
   * A lookup found a generation `readyAtMs` after its anchor, having been told "not ready"
   * `notReadyAtMs` after it: the stats appeared in between.
   */
  observe(notReadyAtMs: number, readyAtMs: number): void;
  /**
   * ms after the anchor at which renewed attempts are aimed (0 first), learned from what was
   * observed; `undefined` while too little is known or when the learned aims would do no
   * better than the fixed schedule on what was observed.
   */
  aims(): readonly number[] | undefined;
  /**
   * Whether a lookup should spend no request before the first aim, because nearly every
   * recent lookup that asked at once was told "not ready" (a server looking its generations
   * up as soon as they end). One lookup in {@link readinessLearning.probeEvery} asks at once
   * all the same, so a change (lookups of older ids) is noticed.
   */
  skipFirst(): boolean;
  /** A lookup that asked at once found the stats `ready`, or not. */
  firstAnswered(ready: boolean): void;
}

/** The learner's figures. */
export const readinessLearning = {
  /** Delays kept (the most recent). */
  samples: 128,
  /** Delays needed before the schedule is learned; until then the fixed schedule runs. */
  minimumSamples: 20,
  /** New delays that make the aims recomputed. */
  recomputeEvery: 8,
  /** Weights of overshoot against requests tried, lightest first (see `plan`). */
  overshootWeights: [0.25, 0.5, 1, 2, 4, 8, 16, 32],
  /** First answers kept (the most recent). */
  firstAnswers: 64,
  /** Most share of first answers that found the stats ready for the first request to be skipped. */
  skipBelow: 0.1,
  /** One lookup in this many asks at once even when the first request is skipped. */
  probeEvery: 8,
  /** Most overshoot of a learned schedule on the delays it saw, as a share of the fixed one's. */
  margin: 0.9,
  /** Jitter of an aim (see `notReadySchedule.jitter`): a learned aim is put this much later. */
  jitter: 0.05,
} as const;

/** How a schedule does on `delays` (sorted): mean requests, median overshoot in ms and as share. */
function score(delays: readonly number[], aims: readonly number[]) {
  let requests = 0;
  const overshoot: number[] = [];
  const share: number[] = [];
  for (const delay of delays) {
    let index = 0;
    // Past the aims, the last one's gap repeats (only reached by a delay longer than all seen).
    let aim = aims[0] ?? delay;
    while (aim < delay) {
      index++;
      aim = index < aims.length ? (aims[index] as number) : aim * 1.7;
    }
    requests += 2 + index;
    overshoot.push(aim - delay);
    share.push((aim - delay) / delay);
  }
  const median = (values: number[]): number => {
    values.sort((a, b) => a - b);
    return values[Math.floor(values.length / 2)] ?? 0;
  };
  return { requests: requests / delays.length, overshoot: median(overshoot), share: median(share) };
}

/**
 * The aims minimising requests + `weight` x overshoot share over `delays` (sorted, positive),
 * each aim at one of the delays. Every aim costs one request for each delay not caught before
 * it, so the cost is a sum over consecutive aims: a shortest path, O(n²).
 */
function plan(delays: readonly number[], weight: number): number[] {
  const n = delays.length;
  // inverse[i]: sum of 1 / delay over the first i delays (overshoot share = aim/delay - 1).
  const inverse = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) inverse[i + 1] = (inverse[i] as number) + 1 / (delays[i] as number);
  const best = new Float64Array(n + 1).fill(Number.POSITIVE_INFINITY);
  const from = new Int32Array(n + 1);
  best[0] = 0;
  // best[j]: least cost with the last aim at delays[j - 1], catching the first j delays.
  for (let j = 1; j <= n; j++) {
    const aim = delays[j - 1] as number;
    for (let i = 0; i < j; i++) {
      const shares = aim * ((inverse[j] as number) - (inverse[i] as number)) - (j - i);
      const cost = (best[i] as number) + (n - i) + weight * shares;
      if (cost < (best[j] as number)) {
        best[j] = cost;
        from[j] = i;
      }
    }
  }
  const aims: number[] = [];
  for (let j = n; j > 0; j = from[j] as number) aims.unshift(delays[j - 1] as number);
  return aims;
}

/**
 * The learned aims for `delays` (sorted), or `undefined` when none does better than the fixed
 * schedule (at `scale`) on them: fewer requests, no more overshoot.
 */
export function learnAims(delays: readonly number[], scale = 1): number[] | undefined {
  const fixed = Array.from({ length: 12 }, (_, index) => notReadyAimMs(index, scale));
  const baseline = score(delays, fixed);
  let chosen: { aims: number[]; requests: number; share: number } | undefined;
  const { margin } = readinessLearning;
  for (const weight of readinessLearning.overshootWeights) {
    const aims = plan(delays, weight);
    const result = score(delays, aims);
    // Less overshoot than the fixed schedule by a margin (in ms and as a share of the delay:
    // learned aims do a little worse on new delays than on those they were fitted to), and
    // no more requests.
    if (result.overshoot > baseline.overshoot * margin || result.share > baseline.share * margin) {
      continue;
    }
    if (result.requests > baseline.requests) continue;
    const better =
      chosen === undefined ||
      result.requests < chosen.requests ||
      (result.requests === chosen.requests && result.share < chosen.share);
    if (better) chosen = { aims, requests: result.requests, share: result.share };
  }
  // Put later by the jitter, so a jittered attempt does not land just before a seen delay.
  return chosen?.aims.map((aim) => Math.round(aim / (1 - readinessLearning.jitter)));
}

/** A {@link ReadinessLearner}; `scale` is the fixed schedule's (`retryDelayMs / 250`). */
export function createReadinessLearner(scale = 1, random = Math.random): ReadinessLearner {
  const ring = new Float64Array(readinessLearning.samples);
  let count = 0;
  let sinceComputed = 0;
  let learned: readonly number[] | undefined;
  const firsts = new Uint8Array(readinessLearning.firstAnswers);
  let firstCount = 0;
  let firstReady = 0;
  let lookups = 0;

  return {
    observe(notReadyAtMs, readyAtMs) {
      if (!(readyAtMs > 0) || !(notReadyAtMs >= 0) || readyAtMs < notReadyAtMs) return;
      // The stats appeared somewhere in between. A point drawn in the interval, not its middle:
      // the middles of a schedule's intervals pile up on a few values, and aims learned from
      // them would sit where no real delay clusters.
      const drawn = notReadyAtMs + random() * (readyAtMs - notReadyAtMs);
      ring[count % ring.length] = Math.max(1, drawn);
      count++;
      sinceComputed++;
    },
    aims() {
      const known = Math.min(count, ring.length);
      if (known < readinessLearning.minimumSamples) return undefined;
      if (learned === undefined || sinceComputed >= readinessLearning.recomputeEvery) {
        sinceComputed = 0;
        const delays = Array.from(ring.subarray(0, known)).sort((a, b) => a - b);
        learned = learnAims(delays, scale) ?? [];
      }
      return learned.length === 0 ? undefined : learned;
    },
    skipFirst() {
      lookups++;
      if (firstCount < readinessLearning.minimumSamples) return false;
      if (lookups % readinessLearning.probeEvery === 0) return false;
      const known = Math.min(firstCount, firsts.length);
      return firstReady < readinessLearning.skipBelow * known;
    },
    firstAnswered(ready) {
      const slot = firstCount % firsts.length;
      if (firstCount >= firsts.length) firstReady -= firsts[slot] as number;
      firsts[slot] = ready ? 1 : 0;
      if (ready) firstReady++;
      firstCount++;
    },
  };
}
