import { describe, expect, it } from 'vitest';
import { notReadyAimMs } from './not-ready-schedule.js';
import { createReadinessLearner, learnAims, readinessLearning } from './readiness-learner.js';

/** A seeded source in [0, 1), the same every run. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/** Most within 2 s, a tail to 5 s (a spread the figures were not tuned on). */
function mostlyQuick(random: () => number): number {
  return random() < 0.8 ? 400 * 5 ** random() : 2_000 + 3_000 * random();
}

/** Requests and overshoot of a lookup asked at once, then at `aims` (jitter aside). */
function simulate(delay: number, aims: (index: number) => number) {
  let requests = 1;
  let at = 0;
  let index = 0;
  while (at < delay) {
    at = aims(index++);
    requests++;
  }
  return { requests, overshoot: at - delay };
}

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

describe('createReadinessLearner', () => {
  it('learns nothing from fewer delays than it needs, so a process starts on the fixed schedule', () => {
    const learner = createReadinessLearner();
    for (let i = 0; i < readinessLearning.minimumSamples - 1; i++) learner.observe(500, 900);
    expect(learner.aims()).toBeUndefined();
    expect(learner.skipFirst()).toBe(false);
  });

  it('aims at the delays it saw: fewer requests than the fixed schedule, no more overshoot', () => {
    const random = seeded(3);
    const learner = createReadinessLearner(1, random);
    const around = (source: () => number) => 1_000 + 300 * source();
    // Lookups on what it knows so far: "not ready" at the last aim before, ready at the next.
    for (let i = 0; i < 200; i++) {
      const delay = around(random);
      const known = learner.aims();
      let before = 0;
      let index = 0;
      while (notReadyAimMs(index, 1, known) < delay) before = notReadyAimMs(index++, 1, known);
      learner.observe(before, notReadyAimMs(index, 1, known));
    }
    const aims = learner.aims();
    expect(aims).toBeDefined();
    const fresh = seeded(99);
    const delays = Array.from({ length: 2_000 }, () => around(fresh));
    const fixed = delays.map((delay) => simulate(delay, (index) => notReadyAimMs(index, 1)));
    const learned = delays.map((delay) =>
      simulate(delay, (index) => notReadyAimMs(index, 1, aims)),
    );
    const mean = (rows: { requests: number }[]) =>
      rows.reduce((sum, row) => sum + row.requests, 0) / rows.length;
    expect(mean(learned)).toBeLessThan(mean(fixed));
    expect(median(learned.map((row) => row.overshoot))).toBeLessThanOrEqual(
      median(fixed.map((row) => row.overshoot)),
    );
  });

  it('never does worse than the fixed schedule on a spread it was not tuned on', () => {
    const random = seeded(11);
    const learner = createReadinessLearner(1, random);
    for (let i = 0; i < 128; i++) {
      const delay = mostlyQuick(random);
      let before = 0;
      let index = 0;
      while (notReadyAimMs(index, 1) < delay) before = notReadyAimMs(index++, 1);
      learner.observe(before, notReadyAimMs(index, 1));
    }
    const aims = learner.aims();
    const fresh = seeded(77);
    const delays = Array.from({ length: 2_000 }, () => mostlyQuick(fresh));
    const run = (learned: readonly number[] | undefined) =>
      delays.map((delay) => simulate(delay, (index) => notReadyAimMs(index, 1, learned)));
    const fixed = run(undefined);
    const learned = run(aims);
    const total = (rows: { requests: number }[]) =>
      rows.reduce((sum, row) => sum + row.requests, 0);
    // 2% for new delays the learned aims were not fitted to.
    expect(total(learned)).toBeLessThanOrEqual(total(fixed) * 1.02);
    expect(median(learned.map((row) => row.overshoot))).toBeLessThanOrEqual(
      median(fixed.map((row) => row.overshoot)) * 1.02,
    );
  });

  it('keeps only the most recent delays (bounded), so it follows a change', () => {
    const learner = createReadinessLearner(1, () => 0.5);
    for (let i = 0; i < 10_000; i++) learner.observe(3_000, 3_400);
    for (let i = 0; i < readinessLearning.samples; i++) learner.observe(150 + (i % 20), 200);
    const aims = learner.aims();
    // Every delay kept is under 0.2 s now: the first aim is there, not near 3 s.
    expect(aims?.[0]).toBeLessThan(250);
  });

  it('keeps the fixed schedule when nothing learned beats it', () => {
    // Log-uniform delays are what the fixed schedule's geometric aims were made for.
    const random = seeded(5);
    const delays = Array.from({ length: 128 }, () => 50 * 400 ** random()).sort((a, b) => a - b);
    const aims = learnAims(delays);
    if (aims !== undefined) {
      // Only when it really does better on those delays.
      const fixed = delays.map((delay) => simulate(delay, (index) => notReadyAimMs(index, 1)));
      const learned = delays.map((delay) =>
        simulate(delay, (index) => notReadyAimMs(index, 1, aims)),
      );
      expect(learned.reduce((s, r) => s + r.requests, 0)).toBeLessThan(
        fixed.reduce((s, r) => s + r.requests, 0),
      );
    }
  });

  it('skips the first request once lookups asking at once are nearly always told "not ready", probing now and then', () => {
    const learner = createReadinessLearner();
    for (let i = 0; i < readinessLearning.firstAnswers; i++) learner.firstAnswered(false);
    const skips = Array.from({ length: 64 }, () => learner.skipFirst());
    expect(skips.filter(Boolean).length).toBe(64 - 64 / readinessLearning.probeEvery);
    // Lookups of older ids come along: found at once, so asking at once pays again.
    for (let i = 0; i < readinessLearning.firstAnswers / 2; i++) learner.firstAnswered(true);
    expect(Array.from({ length: 16 }, () => learner.skipFirst()).some(Boolean)).toBe(false);
  });

  it('ignores observations that make no sense', () => {
    const learner = createReadinessLearner();
    for (let i = 0; i < 100; i++) {
      learner.observe(Number.NaN, 500);
      learner.observe(900, 500);
      learner.observe(-1, 500);
    }
    expect(learner.aims()).toBeUndefined();
  });
});
