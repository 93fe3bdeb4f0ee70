import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { minBytesPerPart } from '../src/commands/report/parallel.js';
import type { ReportData } from '../src/commands/report/report-data.js';
import { binPath } from './spawn-bin.js';

const synthetic = fileURLToPath(new URL('../bench/synthetic-records.mjs', import.meta.url));

let directory: string;
let log: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'genmeta-report-scale-'));
  log = join(directory, 'big.ndjson');
  // Big enough to be split across worker threads where there are two cores or more.
  const child = spawn(process.execPath, [synthetic, '70000', log, '--days', '3'], {
    stdio: 'inherit',
  });
  const [code] = await once(child, 'close');
  expect(code).toBe(0);
}, 60_000);
afterAll(() => rm(directory, { recursive: true, force: true }));

async function report(args: string[], stdinFile?: string): Promise<ReportData> {
  const child = spawn(process.execPath, [binPath, 'report', '--json', ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  if (stdinFile) createReadStream(stdinFile).pipe(child.stdin);
  else child.stdin.end();
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  const [code] = await once(child, 'close');
  expect(code).toBe(0);
  return JSON.parse(stdout) as ReportData;
}

it('a file read in parts (worker threads) gives exactly the report of reading it whole', async () => {
  expect((await stat(log)).size).toBeGreaterThan(2 * minBytesPerPart);
  const by = ['--by', 'model,route,attribute:user,day,hour,session', '--top', '25'];
  // stdin is always read in one piece, in order.
  const [parts, whole] = await Promise.all([report([...by, log]), report([...by, '-'], log)]);
  expect(parts.requests).toBe(70_000);
  expect(parts.skippedLines.count).toBe(0);
  expect({ ...parts, inputs: [] }).toEqual({ ...whole, inputs: [] });
  // Hours: three days of them, in order.
  const hours = parts.breakdowns.find((breakdown) => breakdown.by === 'hour');
  expect(hours?.rows).toHaveLength(72);
  // Sessions (one per 50 records and user) pass the 10,000 distinct values a breakdown keeps:
  // the rest is summed as (other), nothing is lost.
  const sessions = parts.breakdowns.find((breakdown) => breakdown.by === 'session');
  expect(sessions?.folded).toBe(true);
  expect(sessions?.rows).toHaveLength(10_001);
  expect(sessions?.rows.some((row) => row.key === '(other)')).toBe(true);
  expect(sessions?.rows.reduce((sum, row) => sum + row.generations, 0)).toBe(
    parts.generations.tracked,
  );
}, 120_000);
