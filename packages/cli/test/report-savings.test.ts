import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ReportAggregator } from '../src/report/aggregate.js';
import { parseBy } from '../src/report/arguments.js';
import { parseLine } from '../src/report/parse-record.js';
import type { ReportData } from '../src/report/report-data.js';
import { spawnBin } from './spawn-bin.js';

// Three requests, seven generations, written by hand: prompt caching +0.1 and -0.02 (a cache
// write), a response-cache hit of a source read before it (gen-a, $0.50), one of a source read
// after it (gen-e, $0.125), one whose source is not in the log; a cancelled generation ($0.25),
// two errored ones ($0.125 and one of unknown spend), 3 failed attempts (350 ms).
const log = fileURLToPath(new URL('./fixtures/report/savings.ndjson', import.meta.url));

const totals = {
  savings: {
    promptCachingUsd: 0.08,
    responseCachingUsd: 0.625,
    responseCacheHits: 3,
    responseCacheHitsWithoutSource: 1,
  },
  waste: {
    cancelled: { generations: 1, spendUsd: 0.25 },
    errored: { generations: 2, spendUsd: 0.125 },
    failedAttempts: { count: 3, latencyMs: 350 },
  },
};
const byModel = {
  m1: {
    savings: {
      promptCachingUsd: 0.1,
      responseCachingUsd: 0.5,
      responseCacheHits: 2,
      responseCacheHitsWithoutSource: 1,
    },
    waste: {
      cancelled: { generations: 0, spendUsd: 0 },
      errored: { generations: 1, spendUsd: 0 },
      failedAttempts: { count: 1, latencyMs: 50 },
    },
  },
  m2: {
    savings: {
      promptCachingUsd: -0.02,
      responseCachingUsd: 0.125,
      responseCacheHits: 1,
      responseCacheHitsWithoutSource: 0,
    },
    waste: {
      cancelled: { generations: 1, spendUsd: 0.25 },
      errored: { generations: 1, spendUsd: 0.125 },
      failedAttempts: { count: 2, latencyMs: 300 },
    },
  },
};
const byRoute = {
  '/chat': {
    savings: {
      promptCachingUsd: 0.08,
      responseCachingUsd: 0.625,
      responseCacheHits: 2,
      responseCacheHitsWithoutSource: 0,
    },
    waste: {
      cancelled: { generations: 1, spendUsd: 0.25 },
      errored: { generations: 0, spendUsd: 0 },
      failedAttempts: { count: 2, latencyMs: 300 },
    },
  },
  '/search': {
    savings: {
      promptCachingUsd: 0,
      responseCachingUsd: 0,
      responseCacheHits: 1,
      responseCacheHitsWithoutSource: 1,
    },
    waste: {
      cancelled: { generations: 0, spendUsd: 0 },
      errored: { generations: 2, spendUsd: 0.125 },
      failedAttempts: { count: 1, latencyMs: 50 },
    },
  },
};

function groups(report: ReportData, by: string) {
  const breakdown = report.breakdowns.find((item) => item.by === by);
  return Object.fromEntries(
    (breakdown?.rows ?? []).map((row) => [row.key, { savings: row.savings, waste: row.waste }]),
  );
}

describe('genmeta report: savings and waste', () => {
  it('--json: totals and every --by group equal the hand-computed sums', async () => {
    const result = await spawnBin(['report', '--json', '--by', 'model,route', log]);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as ReportData;
    expect({ savings: report.savings, waste: report.waste }).toEqual(totals);
    expect(groups(report, 'model')).toEqual(byModel);
    expect(groups(report, 'route')).toEqual(byRoute);
  });

  it('the same sums when the log is read in two parts and merged (a hit and its source apart)', async () => {
    const lines = (await readFile(log, 'utf8')).trimEnd().split('\n');
    const dimensions = parseBy(['model,route']);
    const whole = new ReportAggregator(dimensions, 5);
    const first = new ReportAggregator(dimensions, 5);
    const second = new ReportAggregator(dimensions, 5);
    lines.forEach((line, index) => {
      const parsed = parseLine(line);
      if (!parsed || !('record' in parsed)) throw new Error(`line ${index} is no record`);
      whole.add(parsed.record);
      (index < 2 ? first : second).add(parsed.record);
    });
    // The part with the hit on gen-e merges before the part holding gen-e.
    first.merge(second.snapshot());
    const merged = first.result([log]);
    expect({ savings: merged.savings, waste: merged.waste }).toEqual(totals);
    expect(groups(merged, 'model')).toEqual(byModel);
    expect(groups(whole.result([log]), 'route')).toEqual(byRoute);
  });

  it('text: the totals and a savings table per breakdown', async () => {
    const result = await spawnBin(['report', '--no-color', '--by', 'model', log]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(
      'saved        $0.08 by prompt caching, $0.625 by response caching (3 hits, 1 with the source not in the records: not counted)',
    );
    expect(result.stdout).toContain(
      'wasted       $0.25 on 1 cancelled, $0.125 on 2 errored; 3 failed attempts (350 ms)',
    );
    expect(result.stdout).toMatch(/Savings and waste by model\n.*PROMPT CACHE SAVED/);
    expect(result.stdout).toMatch(
      /m2 +-\$0\.02 +\$0\.125 \(1 hits\) +\$0\.25 \(1\) +\$0\.125 \(1\) +2 \(300 ms\)/,
    );
  });

  it('--csv: the savings columns of every group', async () => {
    const result = await spawnBin(['report', '--csv', '--by', 'route', log]);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]?.split(',').slice(7)).toEqual([
      'prompt_caching_saved_usd',
      'response_caching_saved_usd',
      'response_cache_hits',
      'response_cache_hits_without_source',
      'cancelled_generations',
      'cancelled_spend_usd',
      'errored_generations',
      'errored_spend_usd',
      'failed_attempts',
      'failed_attempts_latency_ms',
    ]);
    expect(lines).toContain(
      'route,/chat,2,4,0.75,0,0.8571428571428571,0.08,0.625,2,0,1,0.25,0,0,2,300',
    );
    expect(lines).toContain(
      'route,/search,1,3,0.125,1,0.14285714285714285,0,0,1,1,0,0,2,0.125,1,50',
    );
  });

  it('--html: a savings section with the totals and the groups', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'genmeta-savings-'));
    const file = join(directory, 'report.html');
    const result = await spawnBin(['report', '--by', 'model', '--html', file, log]);
    expect(result.code, result.stderr).toBe(0);
    const html = await readFile(file, 'utf8');
    await rm(directory, { recursive: true, force: true });
    expect(html).toContain('data-section="savings"');
    expect(html).toMatch(
      /data-key="all" data-prompt-caching-usd="0.08" data-response-caching-usd="0.625"/,
    );
    expect(html).toMatch(/data-savings-by="model"/);
    expect(html).toMatch(
      /data-key="m2" data-prompt-caching-usd="-0.02" data-response-caching-usd="0.125"/,
    );
  });
});
