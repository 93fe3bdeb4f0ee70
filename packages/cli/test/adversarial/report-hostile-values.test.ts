// `genmeta report` over values chosen to break it (issue 19, item 12): reasons and attributes
// named like Object.prototype's members, amounts out of range, ~130,000 distinct days, and an
// HTML report that cannot be written. The built bin is spawned; memory is the child's peak RSS.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxTimelineColumns } from '../../src/commands/report/render/svg-charts.js';
import type { ReportData } from '../../src/commands/report/report-data.js';
import { maxSpendUsd } from '../../src/shared/records/parse-record.js';
import { megabytes, spawnMeasured } from './measured-bin.js';

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'genmeta-report-hostile-'));
});
afterAll(() => rm(directory, { recursive: true, force: true }));

interface RecordShape {
  requestId?: string;
  startedAt?: string;
  generations?: unknown[];
  unresolved?: unknown[];
  attributes?: Record<string, unknown>;
}

function recordLine(shape: RecordShape = {}): string {
  return JSON.stringify({
    requestId: shape.requestId ?? 'req',
    method: 'POST',
    path: '/api/chat',
    route: '/api/chat',
    statusCode: 200,
    startedAt: shape.startedAt ?? '2026-12-01T10:00:00.000Z',
    durationMs: 10,
    generationIds: [],
    generations: shape.generations ?? [],
    unresolved: shape.unresolved ?? [],
    ...(shape.attributes && { attributes: shape.attributes }),
  });
}

const generation = (spendUsd: unknown) => ({ id: 'gen-1', model: 'm', spendUsd });

function report(args: string[], stdin: string) {
  return spawnMeasured(['report', ...args, '-'], { stdin });
}

/** Own entries, `__proto__` included, sorted: how the counts are compared. */
const entries = (counts: object) => Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1));

describe('counts keyed by log values use null-prototype maps (item 12)', () => {
  it('reasons named constructor, __proto__ and toString count like any other', async () => {
    const names = ['constructor', '__proto__', 'toString', 'hasOwnProperty'];
    const log = [
      recordLine({ unresolved: names.map((reason) => ({ reason })) }),
      recordLine({ unresolved: [{ reason: 'constructor' }] }),
      '',
    ].join('\n');
    const result = await report(['--json'], log);
    expect(result.code, result.stderr).toBe(0);
    const data = JSON.parse(result.stdout) as ReportData;
    const expected = [
      ['__proto__', 1],
      ['constructor', 2],
      ['hasOwnProperty', 1],
      ['toString', 1],
    ];
    expect(entries(data.unresolved.reasons)).toEqual(expected);
    expect(entries(data.unknownSpend.reasons)).toEqual(expected);
    expect(data.unknownSpend.count).toBe(5);

    const text = await report([], log);
    expect(text.stdout).toContain('constructor 2');
    expect(text.stdout).toContain('__proto__ 1');
    expect(text.stdout).not.toMatch(/function|NaN|native code/);
  });

  it('an attribute named constructor or __proto__ groups by its own value, never by a prototype member', async () => {
    const log = [
      recordLine({ attributes: { __proto__: 'team-a' } as Record<string, unknown> }),
      recordLine({ attributes: JSON.parse('{"__proto__":"team-b","constructor":"c"}') }),
      recordLine(),
      '',
    ].join('\n');
    const result = await report(
      ['--json', '--by', 'attribute:constructor,attribute:__proto__'],
      log,
    );
    expect(result.code, result.stderr).toBe(0);
    const [byConstructor, byProto] = (JSON.parse(result.stdout) as ReportData).breakdowns;
    expect(byConstructor?.rows.map((row) => [row.key, row.requests]).sort()).toEqual([
      ['(none)', 2],
      ['c', 1],
    ]);
    expect(byProto?.rows.map((row) => row.key).sort()).toEqual(['(none)', 'team-b']);
  });
});

describe('amounts are finite and bounded (item 12)', () => {
  it(`a record stating more than $${maxSpendUsd} (or a negative amount) is skipped and counted; totals stay exact`, async () => {
    const log = [
      recordLine({ generations: [generation(0.25)] }),
      recordLine({ generations: [generation(1e308)] }),
      recordLine({ generations: [generation(maxSpendUsd + 0.01)] }),
      `${recordLine({ generations: [generation(0)] }).replace('"spendUsd":0', '"spendUsd":1e400')}`,
      recordLine({ unresolved: [{ reason: 'not_found', inlineSpendUsd: -1000 }] }),
      recordLine({ unresolved: [{ reason: 'not_found', inlineSpendUsd: 0.5 }] }),
      recordLine({ generations: [generation(maxSpendUsd)] }),
      '',
    ].join('\n');
    const result = await report(['--json', '--by', 'day'], log);
    expect(result.code, result.stderr).toBe(0);
    const data = JSON.parse(result.stdout) as ReportData;
    expect(data.requests).toBe(3);
    expect(data.knownSpendUsd).toBe(maxSpendUsd + 0.75);
    expect(data.skippedLines).toEqual({ count: 4, reasons: { amount_out_of_range: 4 } });
    expect(data.breakdowns[0]?.rows[0]?.knownSpendUsd).toBe(maxSpendUsd + 0.75);
    expect(result.stderr).toContain(
      'skipped 4 lines that are not cost records (amount_out_of_range 4)',
    );
  });
});

describe('charts aggregate (item 12)', () => {
  it('~130,000 distinct days: text and HTML reports, a bounded chart, bounded memory', async () => {
    const days = 130_000;
    const start = Date.UTC(1800, 0, 1);
    const lines: string[] = [];
    for (let day = 0; day < days; day += 1) {
      const startedAt = new Date(start + day * 86_400_000).toISOString();
      lines.push(recordLine({ requestId: `r${day}`, startedAt, generations: [generation(0.001)] }));
    }
    const file = join(directory, 'days.ndjson');
    await writeFile(file, `${lines.join('\n')}\n`);
    const htmlFile = join(directory, 'days.html');
    const result = await spawnMeasured(['report', '--by', 'day', '--html', htmlFile, file]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('130,000');
    expect(result.stderr).toContain('wrote the HTML report');
    const html = await readFile(htmlFile, 'utf8');
    const timeline = html.slice(html.indexOf('aria-label="Known spend by day"'));
    const columns = timeline.slice(0, timeline.indexOf('</svg>')).match(/<rect /g) ?? [];
    expect(columns.length).toBeGreaterThan(0);
    expect(columns.length).toBeLessThanOrEqual(maxTimelineColumns);
    expect(html.length).toBeLessThan(8 * megabytes);
    expect(result.peakRssBytes).toBeLessThan(600 * megabytes);
  });

  it('the text report is printed when the HTML one cannot be written, then exit 2', async () => {
    const log = `${recordLine({ generations: [generation(0.5)] })}\n`;
    const htmlFile = join(directory, 'no-such-folder', 'report.html');
    const result = await report(['--html', htmlFile], log);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('$0.50');
    expect(result.stderr).toBe(`genmeta: cannot write the HTML report to "${htmlFile}": ENOENT\n`);
  });
});
