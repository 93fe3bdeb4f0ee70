// Waiting out not-ready stats, measured: requests per lookup and overshoot past readiness (how
// long after the stats became ready the lookup got them) against the fake, whose generations
// become ready after a scripted delay. The schedule before this change (kept below as the
// baseline) and the client's schedule run one after the other in the same run. Loopback only.
import { startFakeOpenRouter } from '@genmeta/fake-openrouter';
import { createClient } from '../dist/index.js';

const lookupsPerRow = Number(process.env.BENCH_NOT_READY_LOOKUPS ?? 30);

/** The baseline: the schedule before this change, exponential backoff from 250 ms with full jitter, capped at 8 s. */
async function oldScheduleLookup(fake, id) {
  const url = `${fake.url}/generation?id=${encodeURIComponent(id)}`;
  const headers = { authorization: `Bearer ${fake.apiKey}` };
  for (let waits = 0; ; waits++) {
    const response = await fetch(url, { headers });
    const text = await response.text();
    if (response.ok) return JSON.parse(text).data;
    if (response.status !== 404) throw new Error(`status ${response.status}`);
    const ceiling = Math.min(8_000, 250 * 2 ** waits);
    await new Promise((resolve) => setTimeout(resolve, Math.round(Math.random() * ceiling)));
  }
}

/** A seeded spread of readiness delays (log-uniform 0.3 to 6 s), the same every run. */
function spreadDelays(count) {
  let seed = 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  return Array.from({ length: count }, () => Math.round(300 * 20 ** random()));
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** Runs one lookup per delay with `lookup`, all at once; per lookup: requests and overshoot. */
async function measure(fake, delays, lookup) {
  return Promise.all(
    delays.map(async (readyInMs) => {
      const createdAt = Date.now();
      const { id } = fake.addGeneration({}, { readyInMs });
      await lookup(id, createdAt);
      const overshootMs = Date.now() - (createdAt + readyInMs);
      return {
        requests: fake.calls.filter((call) => call.id === id).length,
        overshootMs,
        readyInMs,
      };
    }),
  );
}

function summary(samples) {
  const requests = samples.reduce((sum, sample) => sum + sample.requests, 0) / samples.length;
  const overshoot = median(samples.map((sample) => sample.overshootMs));
  const share = median(samples.map((sample) => sample.overshootMs / sample.readyInMs));
  return { requests, overshoot, share };
}

/**
 * A seeded spread the schedules were not tuned on: 80% log-uniform 0.4 to 2 s, the rest
 * uniform 2 to 5 s. `seed` differs between warm-up and measured lookups.
 */
function mostlyQuickDelays(count, seed) {
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  return Array.from({ length: count }, () =>
    Math.round(random() < 0.8 ? 400 * 5 ** random() : 2_000 + 3_000 * random()),
  );
}

/**
 * The learned schedule against the fixed one on {@link mostlyQuickDelays}: the fixed one is a
 * fresh client per lookup (nothing learned yet: exactly the schedule a process starts with),
 * the learned one a single client after 50 warm-up lookups. A and B alternate, medians of rounds.
 */
export async function runLearnedScheduleBench() {
  const rounds = Number(process.env.BENCH_LEARNED_ROUNDS ?? 5);
  const perRound = Number(process.env.BENCH_LEARNED_LOOKUPS ?? 60);
  const fake = await startFakeOpenRouter();
  const options = { apiKey: fake.apiKey, baseUrl: fake.url, cache: false, deadlineMs: 60_000 };
  const learning = createClient(options);
  const results = { fixed: [], learned: [] };
  try {
    await measure(fake, mostlyQuickDelays(50, 7), (id) => learning.getGeneration(id));
    const lookups = {
      fixed: (id) => createClient(options).getGeneration(id),
      learned: (id) => learning.getGeneration(id),
    };
    for (let round = 0; round < rounds; round++) {
      const delays = mostlyQuickDelays(perRound, 1_000 + round);
      const order = round % 2 ? ['learned', 'fixed'] : ['fixed', 'learned'];
      for (const name of order)
        results[name].push(summary(await measure(fake, delays, lookups[name])));
    }
  } finally {
    await fake.close();
  }
  const of = (name, key) => median(results[name].map((row) => row[key]));
  console.log(
    `not-ready schedule that learns: ready after 0.4-2 s (80%) or 2-5 s, ${rounds} rounds x ${perRound} lookups, A/B alternating, medians of rounds`,
  );
  for (const name of ['fixed', 'learned']) {
    const label =
      name === 'fixed' ? "fixed (a process's first lookups)" : 'learned (after 50 warm-up)';
    console.log(
      `  ${label.padEnd(36)} ${of(name, 'requests').toFixed(2).padStart(5)} requests  overshoot ${String(Math.round(of(name, 'overshoot'))).padStart(5)} ms (${Math.round(of(name, 'share') * 100)}%)`,
    );
  }
  const ratio = of('learned', 'requests') / of('fixed', 'requests');
  const noMore =
    of('learned', 'overshoot') <= of('fixed', 'overshoot') * 1.05 &&
    of('learned', 'share') <= of('fixed', 'share') * 1.05;
  console.log(
    `  learned/fixed requests ${ratio.toFixed(2)}x (target <= 0.8x: ${ratio <= 0.8 ? 'met' : 'MISSED'}), overshoot no more than fixed (5% noise allowed): ${noMore ? 'met' : 'MISSED'}`,
  );
}

/** Prints the table; returns the rows for the caller. */
export async function runNotReadyBench() {
  const fake = await startFakeOpenRouter();
  // A fresh client per row: the fixed schedule, as a process starts (nothing learned yet; see
  // runLearnedScheduleBench for the schedule that learns).
  const fresh = () =>
    createClient({ apiKey: fake.apiKey, baseUrl: fake.url, cache: false, deadlineMs: 60_000 });
  const schedules = {
    'before (backoff 250 ms, full jitter)': () => (id) => oldScheduleLookup(fake, id),
    'now (aimed 0.55 s, x1.7)': (client) => (id) => client.getGeneration(id),
    'now + finishedAt': (client) => (id, createdAt) =>
      client.getGeneration(id, { finishedAt: createdAt }),
  };
  const scenarios = {
    '0.5 s': Array(lookupsPerRow).fill(500),
    '1.5 s': Array(lookupsPerRow).fill(1_500),
    '4 s': Array(lookupsPerRow).fill(4_000),
    'spread 0.3-6 s': spreadDelays(lookupsPerRow),
  };
  const rows = [];
  try {
    console.log(
      `not-ready stats: ${lookupsPerRow} lookups per row at once, one row after the other; requests per lookup (mean), overshoot past readiness (median, and median share of the delay)`,
    );
    for (const [scenario, delays] of Object.entries(scenarios)) {
      // One schedule at a time: the lookups of one do not delay the timers of another.
      for (const name of Object.keys(schedules)) {
        const { requests, overshoot, share } = summary(
          await measure(fake, delays, schedules[name](fresh())),
        );
        rows.push({ scenario, name, requests, overshoot, share });
        console.log(
          `  ready after ${scenario.padEnd(15)} ${name.padEnd(37)} ${requests.toFixed(1).padStart(5)} requests  overshoot ${String(Math.round(overshoot)).padStart(5)} ms (${Math.round(share * 100)}%)`,
        );
      }
    }
  } finally {
    await fake.close();
  }
  const before = rows.filter((row) => row.name.startsWith('before'));
  const now = rows.filter((row) => row.name.startsWith('now ('));
  const better = now.every(
    (row, index) =>
      row.requests < before[index].requests && row.overshoot < before[index].overshoot,
  );
  const stretch = now.every((row) => row.requests <= 3 && row.share <= 0.25);
  console.log(
    `  targets: fewer requests and less overshoot than before at every delay: ${better ? 'met' : 'MISSED'}; stretch (<= 3 requests, median overshoot <= 25%): ${stretch ? 'met' : 'missed'} without finishedAt`,
  );
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.env.BENCH_ONLY !== 'learned') await runNotReadyBench();
  await runLearnedScheduleBench();
}
