import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportData } from '../src/commands/report/report-data.js';
import {
  type MiddlewareLog,
  spendsOf,
  writeMiddlewareLog,
} from './fixtures/report/middleware-log.js';
import { spawnBin } from './spawn-bin.js';

// Logs written by the real costLogger behind real Express routes, its lookups answered by the
// fake OpenRouter: once as plain JSON lines, once through a real pino logger.
let directory: string;
let logs: Record<'plain' | 'pino', MiddlewareLog>;
// Each log waits out the missing id's lookup deadline (5 s): written side by side, and bounded
// as a hang, not as a speed.
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'genmeta-report-middleware-'));
  const [plain, pino] = await Promise.all([
    writeMiddlewareLog(join(directory, 'plain.ndjson'), 'plain'),
    writeMiddlewareLog(join(directory, 'pino.ndjson'), 'pino'),
  ]);
  logs = { plain, pino };
}, 60_000);
afterAll(() => rm(directory, { recursive: true, force: true }));

function sum(values: readonly number[]): number {
  return Math.round(values.reduce((total, value) => total + value, 0) * 1e10) / 1e10;
}

describe.each(['plain', 'pino'] as const)('genmeta report over a %s costLogger log', (format) => {
  it('counts every request, and the spend the fake charged', async () => {
    const log = logs[format];
    const text = await readFile(log.file, 'utf8');
    if (format === 'pino') {
      // pino merged each record with its own fields, and wrote the app's other lines too.
      expect(text).toMatch(/"level":30,"time":\d+,"pid":\d+,"hostname":"[^"]*","requestId"/);
      expect(text).toContain('"msg":"server started"');
    }
    const result = await spawnBin(['report', '--json', '--by', 'model,route,status', log.file]);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as ReportData;

    const spends = spendsOf(log.generations);
    const known = spends.filter((spend): spend is number => spend !== null);
    expect(spends.filter((spend) => spend === null)).toHaveLength(1);
    expect(report).toMatchObject({
      requests: log.requestCount,
      generations: { tracked: log.generations.length + 1, resolved: log.generations.length },
      knownSpendUsd: sum(known),
      // The BYOK generation without the provider's charge, and the id the fake never had.
      unknownSpend: { count: 2, reasons: { spend_unknown: 1, not_found: 1 } },
      skippedLines: { count: format === 'pino' ? 2 : 0 },
    });
    expect(report.knownSpendUsd).toBe(sum(log.records.map((record) => record.knownSpendUsd)));

    const byModel = report.breakdowns[0]?.rows ?? [];
    for (const model of new Set(log.generations.map((generation) => generation.model))) {
      const spendOfModel = sum(
        log.generations
          .map((generation, index) => (generation.model === model ? spends[index] : null))
          .filter((spend): spend is number => spend !== null && spend !== undefined),
      );
      expect(byModel.find((row) => row.key === model)?.knownSpendUsd).toBe(spendOfModel);
    }
    const byRoute = Object.fromEntries(
      (report.breakdowns[1]?.rows ?? []).map((row) => [row.key, row.requests]),
    );
    expect(byRoute).toEqual({
      '/api/chat/:room': 4,
      '/api/summary': 1,
      '/api/byok': 1,
      '/api/missing': 1,
    });
    const byStatus = Object.fromEntries(
      (report.breakdowns[2]?.rows ?? []).map((row) => [row.key, row.requests]),
    );
    expect(byStatus).toEqual({ '200': 5, '201': 1, '502': 1 });
    expect(report.top[0]?.path).toBe('/api/summary');
    // A log of a few seconds: spend over time by hour, one point holding everything.
    expect(report.timeline.unit).toBe('hour');
    expect(report.timeline.points.reduce((sum, point) => sum + point.requests, 0)).toBe(
      log.requestCount,
    );
  });
});

it('both logs together: the sums of each', async () => {
  const result = await spawnBin(['report', '--json', logs.plain.file, logs.pino.file]);
  const report = JSON.parse(result.stdout) as ReportData;
  expect(report.requests).toBe(logs.plain.requestCount + logs.pino.requestCount);
  expect(report.knownSpendUsd).toBe(
    sum([...logs.plain.records, ...logs.pino.records].map((record) => record.knownSpendUsd)),
  );
});
