import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FakeOpenRouter, startFakeOpenRouter } from '@genmeta/fake-openrouter';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { run } from '../src/index.js';
import { startChatApp, untrackedChat } from './fixtures/reconcile/chat-app.js';
import { captureOutput } from './helpers.js';
import { spawnBin } from './spawn-bin.js';

let directory: string;
let fake: FakeOpenRouter;
let log: string;
const tracked: string[] = [];
const byok: string[] = [];
const today = new Date().toISOString().slice(0, 10);

async function reconcile(
  argv: string[],
  env: Record<string, string | undefined> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = captureOutput();
  const stderr = captureOutput();
  const code = await run({
    argv: ['reconcile', ...argv],
    env: { OPENROUTER_BASE_URL: fake.url, OPENROUTER_MANAGEMENT_KEY: fake.managementKey, ...env },
    stdout,
    stderr,
    cwd: directory,
  });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

const json = async (argv: string[], env?: Record<string, string | undefined>) => {
  const result = await reconcile([...argv, '--json'], env);
  if (result.stdout === '') throw new Error(`no verdict (exit ${result.code}): ${result.stderr}`);
  return { ...result, verdict: JSON.parse(result.stdout) };
};

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'genmeta-reconcile-'));
  fake = await startFakeOpenRouter();
  log = join(directory, 'app.ndjson');
  const app = await startChatApp(fake, log);
  for (let index = 0; index < 200; index++) {
    const isByok = index % 10 === 0;
    const id = await app.chat({
      model: index % 2 ? 'openai/gpt-4o' : 'openai/gpt-4o-mini',
      byok: isByok,
    });
    tracked.push(id);
    if (isByok) byok.push(id);
  }
  await app.close();
}, 60_000);

afterAll(async () => {
  await fake.close();
  await rm(directory, { recursive: true, force: true });
});

describe('genmeta reconcile over the fake', () => {
  it('reconciles a day of 200 tracked generations (BYOK on total_usage and credits): exit 0', async () => {
    const { code, verdict, stderr } = await json(['--date', today, 'app.ndjson']);
    expect(stderr).not.toContain(fake.managementKey);
    expect(code).toBe(0);
    expect(verdict).toMatchObject({
      billed: { generations: 200 },
      recorded: { generations: 200 },
      matched: 200,
      untracked: [],
      phantom: [],
      mismatched: [],
      untrackedUsd: 0,
      driftUsd: 0,
      reconciled: true,
    });
    expect(Object.keys(verdict)).toEqual([
      'from',
      'to',
      'billed',
      'recorded',
      'matched',
      'untracked',
      'phantom',
      'mismatched',
      'untrackedUsd',
      'driftUsd',
      'reconciled',
    ]);
    // BYOK spend includes the provider's charge on both sides.
    const byokGeneration = fake.generation(byok[0] as string) as Record<string, number>;
    expect(byokGeneration.upstream_inference_cost).toBeGreaterThan(
      byokGeneration.total_cost as number,
    );
    expect(verdict.billed.usd).toBe(verdict.recorded.usd);
  });

  it('finds a BYOK provider charge billed differently, and an adjusted amount, with the exact difference: exit 8', async () => {
    const adjusted = tracked[5] as string;
    const before = fake.generation(adjusted)?.total_cost as number;
    fake.adjustBilled(adjusted, { total_cost: before + 0.0025 });
    const byokId = byok[1] as string;
    const upstream = fake.generation(byokId)?.upstream_inference_cost as number;
    fake.adjustBilled(byokId, { upstream_inference_cost: upstream + 0.001 });
    try {
      const { code, verdict } = await json(['--date', today, log]);
      expect(code).toBe(8);
      expect(verdict.reconciled).toBe(false);
      const byId = Object.fromEntries(
        verdict.mismatched.map((row: { id: string }) => [row.id, row]),
      );
      expect(byId[adjusted].diffUsd).toBeCloseTo(0.0025, 12);
      expect(byId[adjusted].billedUsd - byId[adjusted].recordedUsd).toBeCloseTo(0.0025, 12);
      expect(byId[byokId].diffUsd).toBeCloseTo(0.001, 12);
      expect(verdict.driftUsd).toBeCloseTo(0.0035, 12);
      // Within the tolerance it reconciles.
      expect((await reconcile(['--date', today, '--tolerance-usd', '0.003', log])).code).toBe(0);
    } finally {
      fake.adjustBilled(adjusted, { total_cost: before });
      fake.adjustBilled(byokId, { upstream_inference_cost: upstream });
    }
  });

  it('reports a record edited to an id the fake never served as phantom', async () => {
    const lines = (await readFile(log, 'utf8')).replaceAll(
      tracked[7] as string,
      'gen-1700000000-NeverServedNeverServed',
    );
    await writeFile(join(directory, 'edited.ndjson'), lines);
    const { code, verdict } = await json(['--date', today, 'edited.ndjson']);
    expect(code).toBe(8);
    expect(verdict.phantom.map((row: { id: string }) => row.id)).toEqual([
      'gen-1700000000-NeverServedNeverServed',
    ]);
    expect(verdict.untracked.map((row: { id: string }) => row.id)).toEqual([tracked[7]]);
  });

  it('forces splits on truncated answers and waits out a 429, still finding every row', async () => {
    const small = await startFakeOpenRouter({
      apiKey: fake.apiKey,
      analyticsMaxRows: 30,
      analyticsRateLimit: { requests: 3, windowMs: 1_500 },
    });
    try {
      const ids = new Set<string>();
      // Five seconds apart, ending now: within today unless the day began minutes ago.
      const now = Date.now();
      for (let index = 0; index < 100; index++) {
        const at = new Date(now - index * 5_000).toISOString().replace('Z', '000+00:00');
        ids.add(small.addGeneration({ created_at: at }).id);
      }
      const lines = [...ids].map((id) => JSON.stringify(recordOf(small, id))).join('\n');
      await writeFile(join(directory, 'small.ndjson'), `${lines}\n`);
      const window = [
        '--from',
        new Date(now - 600_000).toISOString(),
        '--to',
        new Date(now + 1).toISOString(),
      ];
      const { code, verdict, stderr } = await json([...window, 'small.ndjson'], {
        OPENROUTER_BASE_URL: small.url,
        OPENROUTER_MANAGEMENT_KEY: small.managementKey,
      });
      expect(code).toBe(0);
      expect(verdict.matched).toBe(100);
      expect(stderr).toMatch(/window split/);
      const limited = small.calls.filter(
        (call) => call.path === '/api/v1/analytics/query' && call.status === 429,
      );
      expect(limited.length).toBeGreaterThan(0);
    } finally {
      await small.close();
    }
  }, 60_000);

  it('finds 3 calls made without the tracking fetch, with their USD, largest first', async () => {
    const untracked = [
      await untrackedChat(fake),
      await untrackedChat(fake),
      await untrackedChat(fake),
    ];
    const { code, verdict, stdout } = await json(['--date', today, log]);
    expect(code, JSON.stringify(verdict)).toBe(8);
    expect(new Set(verdict.untracked.map((row: { id: string }) => row.id))).toEqual(
      new Set(untracked),
    );
    for (const row of verdict.untracked) {
      expect(row.usd).toBe(fake.generation(row.id)?.total_cost);
      expect(row).toMatchObject({ model: 'openai/gpt-4o', provider: 'OpenAI' });
    }
    const usds = verdict.untracked.map((row: { usd: number }) => row.usd);
    expect(usds).toEqual([...usds].sort((a: number, b: number) => b - a));
    expect(verdict.untrackedUsd).toBeCloseTo(
      usds.reduce((sum: number, usd: number) => sum + usd, 0),
      12,
    );
    expect(stdout).not.toContain(fake.managementKey);
    const text = await reconcile(['--date', today, log]);
    expect(text.stdout).toMatch(/Untracked: billed, in no record \(3,/);
    const csv = await reconcile(['--date', today, '--csv', log]);
    expect(csv.stdout.split('\n').filter((line) => line.startsWith('untracked,'))).toHaveLength(3);
  });

  it('counts a call billed in the very millisecond the command starts (the window ends after it)', async () => {
    const instant = await startFakeOpenRouter({ apiKey: fake.apiKey });
    // Only Date is frozen (timers and sockets stay real): the call and the command share one
    // millisecond, which a busy machine reaches by chance.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    try {
      const id = await untrackedChat(instant);
      expect(Date.parse(String(instant.generation(id)?.created_at))).toBe(Date.now());
      await writeFile(join(directory, 'empty.ndjson'), '');
      const { code, verdict } = await json(['--date', today, 'empty.ndjson'], {
        OPENROUTER_BASE_URL: instant.url,
        OPENROUTER_MANAGEMENT_KEY: instant.managementKey,
      });
      expect(code).toBe(8);
      expect(verdict.untracked.map((row: { id: string }) => row.id)).toEqual([id]);
      expect(Date.parse(verdict.to)).toBe(Date.now() + 1);
    } finally {
      vi.useRealTimers();
      await instant.close();
    }
  });

  it('refuses an inference key with a message naming the management key (exit 3), never printing it', async () => {
    const { code, stderr } = await reconcile(['--date', today, log], {
      OPENROUTER_MANAGEMENT_KEY: undefined,
      OPENROUTER_API_KEY: fake.apiKey,
    });
    expect(code).toBe(3);
    expect(stderr).toMatch(/management key/);
    expect(stderr).not.toContain(fake.apiKey);
  });

  it('refuses bad windows and inputs with usage errors (exit 2)', async () => {
    const future = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const cases: Array<[string[], RegExp]> = [
      [['--date', future, log], /in the future/],
      [['--from', '2026-03-02T00:00:00Z', '--to', '2026-03-01T00:00:00Z', log], /reversed/],
      [
        ['--from', '2026-01-01T00:00:00Z', '--to', '2026-03-01T00:00:00Z', log],
        /longer than 31 days/,
      ],
      [['--date', '2026-02-30', log], /not a day/],
      [[log], /which window/],
      [['--date', today, 'missing.ndjson'], /no such file/],
    ];
    for (const [argv, message] of cases) {
      const { code, stderr } = await reconcile(argv);
      expect(code, argv.join(' ')).toBe(2);
      expect(stderr).toMatch(message);
    }
  });

  it('runs end to end as the spawned CLI, with the key from the environment only', async () => {
    const result = await spawnBin(['reconcile', '--date', today, '--json', log], {
      env: { OPENROUTER_BASE_URL: fake.url, OPENROUTER_MANAGEMENT_KEY: fake.managementKey },
    });
    // The untracked calls of the earlier test make it unreconciled.
    expect(result.code).toBe(8);
    const verdict = JSON.parse(result.stdout);
    expect(verdict.matched).toBe(200);
    expect(verdict.untracked).toHaveLength(3);
    const help = await spawnBin(['reconcile', '--help']);
    expect(help.stdout).toMatch(/8 {4}reconcile: not reconciled/);
  });
});

/** A costLogger-shaped record of one fake generation (what the middleware would have written). */
function recordOf(server: FakeOpenRouter, id: string) {
  const generation = server.generation(id) as Record<string, unknown>;
  return {
    requestId: `req-${id}`,
    method: 'POST',
    path: '/api/chat',
    statusCode: 200,
    startedAt: new Date().toISOString(),
    generations: [
      {
        id,
        model: generation.model,
        provider: generation.provider_name,
        created_at: generation.created_at,
        spendUsd: generation.total_cost,
        total_cost: generation.total_cost,
        upstream_inference_cost: generation.upstream_inference_cost,
        is_byok: false,
      },
    ],
    unresolved: [],
  };
}
