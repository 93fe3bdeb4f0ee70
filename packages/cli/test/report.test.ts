import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportData } from '../src/report/report-data.js';
import { ansiPattern } from './helpers.js';
import { signalOnceReady, spawnBin } from './spawn-bin.js';

// A hand-made log exercising every shape: plain and pino-wrapped records, garbage, a pino line
// that is no record, a record with a wrong type, a truncated line, a CRLF line, unresolved ids
// with and without inline spend, unknown spend, attributes, hostile values.
const mixed = fileURLToPath(new URL('./fixtures/report/mixed.ndjson', import.meta.url));

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'genmeta-report-'));
});
afterAll(() => rm(directory, { recursive: true, force: true }));

async function reportJson(args: string[], options: { stdin?: string } = {}): Promise<ReportData> {
  const result = await spawnBin(['report', '--json', ...args], options);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as ReportData;
}

function rowsOf(report: ReportData, by: string) {
  const breakdown = report.breakdowns.find((item) => item.by === by);
  if (!breakdown) throw new Error(`no breakdown ${by}`);
  return Object.fromEntries(
    breakdown.rows.map((row) => [
      row.key,
      [row.requests, row.generations, row.knownSpendUsd, row.unknownCount],
    ]),
  );
}

describe('genmeta report over a mixed log', () => {
  it('totals: known spend apart from the unknown count and its reasons, skipped lines counted', async () => {
    const report = await reportJson([mixed]);
    expect(report).toMatchObject({
      inputs: [mixed],
      period: { from: '2026-11-24T09:15:00.000Z', to: '2026-11-26T13:00:00.000Z' },
      requests: 5,
      requestsWithUnknownSpend: 2,
      generations: { tracked: 8, resolved: 5, unresolved: 3 },
      knownSpendUsd: 3.125,
      unknownSpend: { count: 3, reasons: { spend_unknown: 1, not_found: 1, overloaded: 1 } },
      unresolved: { count: 3, reasons: { not_found: 1, timeout: 1, overloaded: 1 } },
      skippedLines: {
        count: 4,
        reasons: { not_json: 2, not_a_record: 1, invalid_record: 1 },
      },
    });
    // Default breakdowns: model, then route.
    expect(report.breakdowns.map((breakdown) => breakdown.by)).toEqual(['model', 'route']);
  });

  it('--by: every breakdown sums to the totals, unresolved ids in their own group', async () => {
    const report = await reportJson([
      '--by',
      'model,attribute:user',
      '--by',
      'day',
      '--by=status,route,user,session,finish_reason,provider,path',
      mixed,
    ]);
    expect(report.breakdowns.map((breakdown) => breakdown.by)).toEqual([
      'model',
      'attribute:user',
      'day',
      'status',
      'route',
      'user',
      'session',
      'finish_reason',
      'provider',
      'path',
    ]);
    expect(rowsOf(report, 'model')).toEqual({
      'openai/gpt-4o': [2, 2, 1.5, 1],
      'anthropic/claude-3.5-sonnet': [1, 1, 0.75, 0],
      '(unresolved)': [2, 3, 0.5, 2],
      'openai/gpt-4o-mini': [1, 1, 0.25, 0],
      '<script>window.pwned=1</script>': [1, 1, 0.125, 0],
    });
    expect(rowsOf(report, 'attribute:user')).toEqual({
      bob: [1, 2, 2.25, 0],
      alice: [2, 4, 0.75, 2],
      '=HYPERLINK("http://evil.example")': [1, 1, 0.125, 0],
      '(none)': [1, 1, 0, 1],
    });
    expect(rowsOf(report, 'day')).toEqual({
      '2026-11-24': [2, 3, 2.5, 0],
      '2026-11-25': [1, 3, 0.5, 2],
      '2026-11-26': [2, 2, 0.125, 1],
    });
    expect(rowsOf(report, 'status')).toEqual({
      '200': [3, 4, 2.625, 0],
      '500': [1, 3, 0.5, 2],
      '429': [1, 1, 0, 1],
    });
    expect(rowsOf(report, 'user')).toMatchObject({ alice: [1, 1, 0.25, 0] });
    expect(rowsOf(report, 'session')).toMatchObject({ s1: [1, 1, 0.25, 0] });
    expect(rowsOf(report, 'route')).toMatchObject({ '(no route)': [1, 1, 0.125, 0] });
    for (const breakdown of report.breakdowns) {
      const known = breakdown.rows.reduce((sum, row) => sum + row.knownSpendUsd, 0);
      const unknown = breakdown.rows.reduce((sum, row) => sum + row.unknownCount, 0);
      expect([breakdown.by, known, unknown]).toEqual([breakdown.by, 3.125, 3]);
    }
    // Days come in order; other breakdowns by known spend, largest first.
    expect(report.breakdowns[2]?.rows.map((row) => row.key)).toEqual([
      '2026-11-24',
      '2026-11-25',
      '2026-11-26',
    ]);
    expect(report.timeline).toEqual({
      unit: 'day',
      points: [
        { start: '2026-11-24T00:00:00.000Z', requests: 2, knownSpendUsd: 2.5, unknownCount: 0 },
        { start: '2026-11-25T00:00:00.000Z', requests: 1, knownSpendUsd: 0.5, unknownCount: 2 },
        { start: '2026-11-26T00:00:00.000Z', requests: 2, knownSpendUsd: 0.125, unknownCount: 1 },
      ],
    });
  });

  it('--top N lists the most expensive requests, marking those with unknown spend', async () => {
    const report = await reportJson(['--top', '2', mixed]);
    expect(report.top).toEqual([
      expect.objectContaining({ requestId: 'req-b', knownSpendUsd: 2.25, spendComplete: true }),
      expect.objectContaining({ requestId: 'req-c', knownSpendUsd: 0.5, spendComplete: false }),
    ]);
    expect(report.top[0]).toMatchObject({
      method: 'GET',
      path: '/api/summary/7',
      route: '/api/summary/:id',
      statusCode: 200,
      generations: 2,
      models: ['openai/gpt-4o', 'anthropic/claude-3.5-sonnet'],
    });
    expect((await reportJson(['--top', '0', mixed])).top).toEqual([]);
  });

  it('piped: aligned tables with plain ASCII bars, no escapes, log values made safe', async () => {
    const result = await spawnBin(['report', '--by', 'model,path', mixed]);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(ansiPattern);
    // The escape sequence in a logged path is shown, not sent to the terminal.
    expect(result.stdout).not.toContain('\u001b');
    expect(result.stdout).toContain('/api/?red');
    expect(result.stdout).toMatch(/known spend {2}>= \$3\.13\n/);
    expect(result.stdout).toMatch(
      /unknown {6}3 generations not counted \(not_found 1, overloaded 1, spend_unknown 1\)/,
    );
    expect(result.stdout).toMatch(
      /skipped {6}4 lines \(not_json 2, invalid_record 1, not_a_record 1\)/,
    );
    const modelTable = result.stdout.split('By model\n')[1]?.split('\n\n')[0] ?? '';
    const lines = modelTable.split('\n');
    expect(lines[0]).toMatch(
      /^ {2}MODEL +REQUESTS {2}GENERATIONS {2}KNOWN SPEND {2}UNKNOWN {2}SHARE$/,
    );
    expect(lines[1]).toMatch(/^ {2}openai\/gpt-4o +2 +2 +>= \$1\.50 +1 +48\.0% {2}########\.{8}$/);
    expect(lines[2]).toMatch(
      /anthropic\/claude-3\.5-sonnet +1 +1 +\$0\.75 +- +24\.0% {2}#{4}\.{12}$/,
    );
    // Columns line up: every row has its share at the same offset.
    const shareEnds = lines.slice(1).map((line) => line.indexOf('%') + 1);
    expect(new Set([...shareEnds, lines[0]?.length]).size).toBe(1);
    expect(result.stderr).toBe(
      'genmeta: skipped 4 lines that are not cost records (not_json 2, invalid_record 1, not_a_record 1)\n',
    );
  });

  it('colour: Unicode share bars; NO_COLOR: ASCII again', async () => {
    const colored = await spawnBin(['report', mixed], { env: { FORCE_COLOR: '1' } });
    expect(colored.stdout).toMatch(ansiPattern);
    expect(colored.stdout).toContain('████████');
    expect(colored.stdout).toContain('≥ $1.50');
    const plain = await spawnBin(['report', mixed], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(plain.stdout).not.toMatch(ansiPattern);
    expect(plain.stdout).not.toContain('█');
    expect(plain.stdout).toContain('########');
  });

  it('on a terminal: tables fit its width, names shortened from the middle, bars dropped first', async () => {
    const { runCli } = await import('./helpers.js');
    const table = async (columns: number) => {
      const result = await runCli(['report', '--by', 'model', mixed], {
        stdoutIsTTY: true,
        columns,
        env: { NO_COLOR: '1' },
      });
      expect(result.code).toBe(0);
      return (result.stdout.split('By model\n')[1]?.split('\n\n')[0] ?? '').split('\n');
    };
    const wide = await table(120);
    expect(wide.join('\n')).toContain('anthropic/claude-3.5-sonnet');
    expect(wide[1]).toMatch(/ {2}#{8}\.{8}$/);
    const narrow = await table(72);
    for (const line of narrow) expect([...line].length).toBeLessThanOrEqual(72);
    // The distinguishing tail survives: gpt-4o and gpt-4o-mini stay apart.
    expect(narrow.map((line) => line.trim().split(/ {2,}/)[0])).toEqual([
      'MODEL',
      'openai/gpt-4o',
      'anthropi…5-sonnet',
      '(unresolved)',
      'openai/g…-4o-mini',
      '<script>…/script>',
    ]);
    expect(narrow.join('\n')).not.toContain('#');
  });

  it('--csv: the breakdown rows, with formula-safe cells', async () => {
    const result = await spawnBin(['report', '--csv', '--by', 'attribute:user,day', mixed]);
    expect(result.code).toBe(0);
    // The savings and waste columns follow (none in this log; see report-savings.test.ts).
    const none = ',0,0,0,0,0,0,0,0,0,0';
    const lines = result.stdout
      .trimEnd()
      .split('\n')
      .map((line, index) =>
        index > 0 && line.endsWith(none) ? line.slice(0, -none.length) : line,
      );
    expect(lines[0]).toMatch(
      /^by,key,requests,generations,known_spend_usd,unknown_count,share,prompt_caching_saved_usd,/,
    );
    expect(lines).toContain('attribute:user,bob,1,2,2.25,0,0.72');
    expect(lines).toContain('attribute:user,alice,2,4,0.75,2,0.24');
    // A value a spreadsheet would run as a formula is prefixed with ', then quoted for its quotes.
    expect(lines).toContain(
      `attribute:user,"'=HYPERLINK(""http://evil.example"")",1,1,0.125,0,0.04`,
    );
    expect(lines).toContain('attribute:user,(none),1,1,0,1,0');
    expect(lines).toContain('day,2026-11-25,1,3,0.5,2,0.16');
    expect(lines).toHaveLength(1 + 4 + 3);
  });

  it('reads stdin with "-", or when piped without files, and several files in a row', async () => {
    const text = await readFile(mixed, 'utf8');
    const viaDash = await reportJson(['-'], { stdin: text });
    const implicit = await reportJson([], { stdin: text });
    expect(viaDash).toMatchObject({ inputs: ['-'], requests: 5, knownSpendUsd: 3.125 });
    expect(implicit).toMatchObject({ inputs: ['-'], requests: 5, knownSpendUsd: 3.125 });
    const twice = await reportJson([mixed, '-'], { stdin: text });
    expect(twice).toMatchObject({
      requests: 10,
      knownSpendUsd: 6.25,
      unknownSpend: { count: 6 },
      skippedLines: { count: 8 },
    });
  });

  it('skips and counts a line over 1 MB, and reads on after it', async () => {
    const file = join(directory, 'long.ndjson');
    const text = await readFile(mixed, 'utf8');
    const huge = JSON.stringify({ requestId: 'x', padding: 'y'.repeat(1_100_000) });
    await writeFile(file, `${huge}\n${text}${huge}`);
    const report = await reportJson([file]);
    expect(report).toMatchObject({
      requests: 5,
      knownSpendUsd: 3.125,
      skippedLines: { count: 6, reasons: { too_long: 2, not_json: 2 } },
    });
  });

  it('an empty input is a report of nothing, said on stderr', async () => {
    const result = await spawnBin(['report', '--json', '-'], { stdin: 'hello\n' });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      period: null,
      requests: 0,
      knownSpendUsd: 0,
      unknownSpend: { count: 0 },
      top: [],
      timeline: { points: [] },
    });
    expect(result.stderr).toContain('genmeta: no cost records in the input\n');
  });
});

describe('genmeta report never repeats a key found in the logs', () => {
  it('masks sk-or- keys and the environment key in every format, the HTML included', async () => {
    // Made at run time, so the repository holds no string shaped like a real key.
    const leaked = ['sk', 'or', 'v1', randomBytes(20).toString('hex')].join('-');
    const ownKey = 'own-secret-key-4242';
    const record = {
      requestId: `req-${leaked}`,
      method: 'POST',
      path: `/api/chat/${leaked}`,
      route: `/api/${ownKey}`,
      statusCode: 200,
      startedAt: '2026-11-26T10:00:00.000Z',
      durationMs: 5,
      generationIds: ['gen-1'],
      generations: [{ id: 'gen-1', model: `m-${leaked}`, provider: 'P', spendUsd: 0.5 }],
      unresolved: [],
      knownSpendUsd: 0.5,
      attributes: { user: leaked, team: ownKey },
    };
    const file = join(directory, 'leaky.ndjson');
    await writeFile(file, `${JSON.stringify(record)}\n`);
    const html = join(directory, 'leaky.html');
    const by = ['--by', 'model,path,route,attribute:user,attribute:team'];
    const env = { OPENROUTER_API_KEY: ownKey };
    const outputs = await Promise.all([
      spawnBin(['report', ...by, file], { env }),
      spawnBin(['report', '--json', ...by, '--html', html, file], { env }),
      spawnBin(['report', '--csv', ...by, file], { env }),
    ]);
    const texts = [
      ...outputs.flatMap((output) => [output.stdout, output.stderr]),
      await readFile(html, 'utf8'),
    ];
    for (const text of texts) {
      expect(text).not.toContain('0123456789abcdef');
      expect(text).not.toContain(ownKey);
    }
    const report = JSON.parse(outputs[1]?.stdout ?? '') as ReportData;
    expect(report.breakdowns.map((breakdown) => breakdown.rows[0]?.key)).toEqual([
      'm-sk-or-[redacted]',
      '/api/chat/sk-or-[redacted]',
      '/api/[redacted]',
      'sk-or-[redacted]',
      '[redacted]',
    ]);
    expect(report.top[0]).toMatchObject({ requestId: 'req-sk-or-[redacted]' });
  });
});

describe('genmeta report usage errors (exit 2)', () => {
  const cases: [string[], RegExp][] = [
    [['--by', 'colour', mixed], /--by "colour" is not a breakdown\. Valid: route, path, model/],
    [['--by', 'model,,day', mixed], /--by needs comma-separated breakdowns/],
    [['--by', 'attribute:', mixed], /an attribute name is 1 to 64 letters/],
    [['--by', 'attribute:a b', mixed], /--by "attribute:a b": an attribute name/],
    [[mixed, '--by'], /--by needs a value/],
    [['--top', '-1', mixed], /--top needs a value/],
    [['--top', 'ten', mixed], /--top must be a whole number from 0 to 1000/],
    [['--top', '1001', mixed], /--top must be a whole number from 0 to 1000/],
    [['--fields', 'id', mixed], /--fields applies to "genmeta get" and "genmeta cost"/],
    [['--deadline', '5s', mixed], /--deadline applies to "genmeta get" and "genmeta cost"/],
    [['--html', '', mixed], /--html needs a file name/],
    [['missing.ndjson'], /cannot read "missing\.ndjson": no such file/],
    [['.'], /"\." is not a file/],
    [['-', '-'], /"-" .* may be given once/],
  ];
  it.each(cases)('report %j', async (args, message) => {
    const result = await spawnBin(['report', ...args], { stdin: '' });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/\nRun "genmeta (help report|--help)" for usage\.\n$/);
  });

  it('report flags on other commands', async () => {
    for (const flag of [
      ['--by', 'model'],
      ['--top', '3'],
      ['--html', 'x.html'],
    ]) {
      const result = await spawnBin(['cost', ...flag, 'gen-1']);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`${flag[0]} applies to "genmeta report" only`);
    }
  });

  it('a terminal on stdin and no file: says what to give', async () => {
    const { runCli } = await import('./helpers.js');
    const result = await runCli(['report'], { stdinIsTTY: true });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no log to read: give files of cost records, or "-"');
  });

  it('--help lists report; help report describes it', async () => {
    const main = await spawnBin(['--help']);
    expect(main.stdout).toContain('genmeta report [file...|-]');
    const help = await spawnBin(['help', 'report']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: genmeta report [file...|-] [flags]');
    expect(help.stdout).toContain('attribute:<name>');
    expect(help.stdout).toContain('--top N');
    expect(help.stdout).toContain('--html FILE');
  });
});

describe('genmeta report interrupted', () => {
  it('exits 130 on Ctrl-C while stdin stays open without data', async () => {
    const recorder = fileURLToPath(new URL('./fixtures/record-modules.mjs', import.meta.url));
    const logFile = join(directory, 'modules-sigint.log');
    await writeFile(logFile, '');
    const text = await readFile(mixed, 'utf8');
    const result = await spawnBin(['report', '-'], {
      env: { GENMETA_MODULE_LOG: logFile },
      nodeArguments: ['--import', recorder],
      stdin: text,
      keepStdinOpen: true,
      // The report's code loads after the bin's SIGINT handler is in place: wait for it.
      onSpawn: signalOnceReady(async () =>
        /[\\/]report-command-[^/\\]+\.js$/m.test(await readFile(logFile, 'utf8')),
      ),
    });
    expect(result.code).toBe(130);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('genmeta: interrupted\n');
  });
});
