// Spend check cost (built dist, in process): spendLimit's `status(key)` over the memory store
// for a key with 300,000 past requests against an empty key, in alternating rounds of the same
// run; medians of µs per check. A check reads the window's buckets (at most 61), so the two
// should be alike. Run alone with `node bench/spend-check.mjs`, or in `pnpm bench`
// (BENCH_ONLY=spend).
import { costLogger, createMemorySpendStore, spendLimit } from '../dist/index.js';

const PAST_REQUESTS = Number(process.env.BENCH_SPEND_REQUESTS ?? 300_000);
const CHECKS = Number(process.env.BENCH_SPEND_CHECKS ?? 2_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** µs per `limiter.status(key)`: the median of `ROUNDS` rounds of `CHECKS` checks. */
async function microsecondsPerCheck(limiter, key) {
  const started = performance.now();
  for (let index = 0; index < CHECKS; index += 1) await limiter.status(key);
  return ((performance.now() - started) * 1000) / CHECKS;
}

export async function spendCheckBench() {
  const store = createMemorySpendStore();
  const windowMs = 3_600_000;
  const now = Date.now();
  for (let index = 0; index < PAST_REQUESTS; index += 1) {
    // spread over the last 59 minutes, as a busy key's past hour
    const atMs = now - 3_540_000 + Math.floor((index * 3_540_000) / PAST_REQUESTS);
    store.record('heavy', { id: `gen-${index}`, amountUsd: 0.000001, atMs }, windowMs);
  }
  // the same buckets with one request each: what a check costs is the buckets, not the requests
  for (let index = 0; index < 60; index += 1) {
    const atMs = now - 3_540_000 + index * 59_000;
    store.record('light', { id: `gen-${index}`, amountUsd: 0.000001, atMs }, windowMs);
  }
  const logger = costLogger({ onRecord: () => undefined });
  const limiter = spendLimit({ logger, key: () => undefined, limitUsd: 1_000, windowMs, store });
  const heavy = [];
  const light = [];
  const empty = [];
  await microsecondsPerCheck(limiter, 'heavy'); // warm-up
  for (let round = 0; round < ROUNDS; round += 1) {
    empty.push(await microsecondsPerCheck(limiter, 'nobody'));
    light.push(await microsecondsPerCheck(limiter, 'light'));
    heavy.push(await microsecondsPerCheck(limiter, 'heavy'));
  }
  const [a, l, b] = [median(empty), median(light), median(heavy)];
  console.log(
    `\nspend check (memory store, 1 h window, ${CHECKS} checks per round, median of ${ROUNDS} alternating rounds)`,
  );
  console.log(`  empty key                     ${a.toFixed(1).padStart(8)} µs per check`);
  console.log(
    `  60 past requests (1 a bucket) ${l.toFixed(1).padStart(8)} µs per check  (${(l / a).toFixed(2)}× the empty key)`,
  );
  console.log(
    `  ${`${PAST_REQUESTS.toLocaleString('en-US')} past requests`.padEnd(29)} ${b.toFixed(1).padStart(8)} µs per check  (${(b / a).toFixed(2)}× the empty key, ${(b / l).toFixed(2)}× 60 requests; target under 50 ms: ${b < 50_000 ? 'OK' : 'MISSED'})`,
  );
  await logger.close({ timeoutMs: 100 });
}

if (import.meta.url === `file://${process.argv[1]}`) await spendCheckBench();
