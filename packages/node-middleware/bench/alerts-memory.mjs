// The sink's own CPU per record, and memory of costAlerts per group: 10,000 users spending through two budget rules and one anomaly
// rule (per process), fed as cost records to the sink; heap after gc against before, per group.
// Run with --expose-gc (pnpm bench does). BENCH_ALERT_GROUPS sets the number of users.
import { costAlerts } from '../dist/index.js';

const groups = Number(process.env.BENCH_ALERT_GROUPS ?? 10_000);
const gc = globalThis.gc ?? (() => undefined);
const record = (user, index) => ({
  requestId: `req-${index}`,
  method: 'POST',
  path: '/api/chat',
  route: '/api/chat',
  statusCode: 200,
  aborted: false,
  startedAt: new Date().toISOString(),
  durationMs: 10,
  generationIds: [`gen-${index}`],
  generations: [{ id: `gen-${index}`, model: 'openai/gpt-4o-mini', spendUsd: 0.001 }],
  unresolved: [],
  spendUsd: 0.001,
  knownSpendUsd: 0.001,
  spendComplete: true,
  attributes: { user, plan: 'pro' },
});

const alerts = costAlerts({
  budgets: [
    { group: 'user', limitUsd: 5, window: 'day' },
    { group: 'plan', limitUsd: 1e6, window: 'month' },
  ],
  anomalies: [{ group: 'user', intervalMs: 60_000 }],
  onAlert: () => undefined,
});
gc();
const before = process.memoryUsage().heapUsed;
// ten records per user: the first is a group's first sight (its counters are created), the
// others the steady state, timed apart
const rounds = 10;
let firstNs = 0n;
let steadyNs = 0n;
for (let round = 0; round < rounds; round += 1) {
  const batch = Array.from({ length: groups }, (_, user) =>
    record(`user-${user}`, round * groups + user),
  );
  // CPU time, not wall time: on a shared machine the wall clock also counts other processes
  const started = process.cpuUsage();
  for (const item of batch) alerts(item);
  const used = process.cpuUsage(started);
  const spent = BigInt(used.user + used.system) * 1000n;
  if (round === 0) firstNs += spent;
  else steadyNs += spent;
}
await alerts.flush();
gc();
const after = process.memoryUsage().heapUsed;
const perGroup = (after - before) / groups;
console.log(
  `costAlerts sink (its own synchronous work, in process): ${(Number(steadyNs) / 1000 / ((rounds - 1) * groups)).toFixed(2)} µs per record in the steady state, ${(Number(firstNs) / 1000 / groups).toFixed(2)} µs for a group's first record (target <= 5 µs per request)\ncostAlerts memory: ${groups} users x (2 budget windows + 1 anomaly history), 10 records each: +${((after - before) / 1024 / 1024).toFixed(1)} MB, ${Math.round(perGroup)} bytes per user (bounded: maxGroups counters, 10,000 by default); ${alerts.stats().groups} groups held`,
);
