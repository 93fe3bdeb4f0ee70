// `genmeta report --budget`: the budget rule of costAlerts, checked against logs, through the
// spawned bin: groups over budget marked in text, JSON and HTML; a bad rule is a usage error.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportData } from '../src/report/report-data.js';
import { spawnBin } from './spawn-bin.js';

let directory: string;
let log: string;

function record(index: number, startedAt: string, usd: number, attributes: Record<string, string>) {
  const id = `gen-1764000000-${String(index).padStart(20, 'a')}`;
  return JSON.stringify({
    requestId: `req-${index}`,
    method: 'POST',
    path: '/api/search',
    route: '/api/search',
    statusCode: 200,
    aborted: false,
    startedAt,
    durationMs: 100,
    generationIds: [id],
    generations: [
      {
        id,
        model: 'openai/gpt-4o',
        provider: 'OpenAI',
        created_at: startedAt,
        spendUsd: usd,
        total_cost: usd,
        upstream_inference_cost: usd,
        cache_discount: null,
        is_byok: false,
        tokens: {
          prompt: 1,
          completion: 1,
          nativePrompt: 1,
          nativeCompletion: 1,
          reasoning: 0,
          cached: 0,
        },
        latency: 10,
        generation_time: 5,
        finish_reason: 'stop',
        api_type: 'completions',
        cancelled: false,
        streamed: false,
      },
    ],
    unresolved: [],
    spendUsd: usd,
    knownSpendUsd: usd,
    spendComplete: true,
    attributes,
  });
}

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'genmeta-budget-'));
  log = join(directory, 'app.ndjson');
  const lines = [
    // November: search spends 12 USD (over 10), chat 3 USD
    record(1, '2026-11-03T10:00:00.000Z', 7, { feature: 'search', user: 'alice' }),
    record(2, '2026-11-20T10:00:00.000Z', 5, { feature: 'search', user: 'bob' }),
    record(3, '2026-11-21T10:00:00.000Z', 3, { feature: 'chat', user: 'bob' }),
    // December: search spends 4 USD (under 10)
    record(4, '2026-12-01T00:00:00.000Z', 4, { feature: 'search', user: 'alice' }),
  ];
  await writeFile(log, `${lines.join('\n')}\n`);
});
afterAll(() => rm(directory, { recursive: true, force: true }));

describe('genmeta report --budget', () => {
  it('marks each group and window against its budget in JSON', async () => {
    const result = await spawnBin([
      'report',
      '--json',
      '--budget',
      'feature=search:10/month',
      '--budget',
      'user=*:6/month',
      log,
    ]);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as ReportData;
    // the hidden breakdowns stay hidden: only the default ones are listed
    expect(report.breakdowns.map((breakdown) => breakdown.by)).toEqual(['model', 'route']);
    expect(report.budgets).toEqual([
      {
        rule: 'feature=search:10/month',
        group: 'feature',
        value: 'search',
        limitUsd: 10,
        window: 'month',
        over: true,
        rows: [
          {
            value: 'search',
            window: 'month:2026-11',
            knownSpendUsd: 12,
            unknownCount: 0,
            share: 1.2,
            over: true,
          },
          {
            value: 'search',
            window: 'month:2026-12',
            knownSpendUsd: 4,
            unknownCount: 0,
            share: 0.4,
            over: false,
          },
        ],
      },
      {
        rule: 'user=*:6/month',
        group: 'user',
        value: '*',
        limitUsd: 6,
        window: 'month',
        over: true,
        rows: [
          {
            value: 'bob',
            window: 'month:2026-11',
            knownSpendUsd: 8,
            unknownCount: 0,
            share: 1.3333,
            over: true,
          },
          {
            value: 'alice',
            window: 'month:2026-11',
            knownSpendUsd: 7,
            unknownCount: 0,
            share: 1.1667,
            over: true,
          },
          {
            value: 'alice',
            window: 'month:2026-12',
            knownSpendUsd: 4,
            unknownCount: 0,
            share: 0.6667,
            over: false,
          },
        ],
      },
    ]);
  });

  it('marks groups over budget in the text report and the HTML report', async () => {
    const html = join(directory, 'report.html');
    const result = await spawnBin([
      'report',
      '--no-color',
      '--budget',
      'feature=search:10/month',
      '--html',
      html,
      log,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Budgets');
    expect(result.stdout).toContain('feature=search:10/month  OVER BUDGET');
    expect(result.stdout).toMatch(
      /OVER {2}feature=search {2}month:2026-11 {2}\$12\.00 of \$10\.00 \(120\.0%\)/,
    );
    expect(result.stdout).toMatch(
      /ok {4}feature=search {2}month:2026-12 {2}\$4\.00 of \$10\.00 \(40\.0%\)/,
    );
    const page = await readFile(html, 'utf8');
    expect(page).toContain('data-section="budgets"');
    expect(page).toMatch(
      /<tr class="over"><td class="text">search<\/td><td class="text">month:2026-11<\/td>/,
    );
    expect(page).not.toContain('budget:feature'); // the hidden breakdown is no chart
  });

  it('leaves a report without --budget unchanged (no budgets field)', async () => {
    const result = await spawnBin(['report', '--json', log]);
    expect(JSON.parse(result.stdout)).not.toHaveProperty('budgets');
  });

  it.each([
    'feature=search:10',
    'feature=search:-1/month',
    'feature:10/month',
    'a b=x:1/day',
    'feature=x:1/year',
  ])('refuses the rule %s with the syntax (exit 2)', async (rule) => {
    const result = await spawnBin(['report', '--budget', rule, log]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('<group>=<value|*>:<limit USD>/<day|week|month>');
  });
});
