// Hostile input and faults that concern the process (issue 10, items 3, 9, 13, 20, 22): the
// built bin is spawned, fed large or endless stdin and signalled mid-batch.
import type { ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { run } from '../src/index.js';
import { captureOutput } from './helpers.js';
import { secretWindows } from './hostile-server.js';
import { signalOnceReady, spawnBin } from './spawn-bin.js';
import { useCliTestbed } from './testbed.js';

const testbed = useCliTestbed('genmeta-process-');
const { env, generationCalls } = testbed;

const answered = (id: string) =>
  generationCalls().some((call) => call.id === id && call.status === 200);

/**
 * 30 ids: 0-4 and 12 ready at once, the others not ready for a minute, so a batch prints the
 * first five, finishes the 13th behind a gap, and then waits.
 */
function stalledBatch() {
  return Array.from({ length: 30 }, (_, index) => {
    const ready = index < 5 || index === 12;
    return testbed.fake.addGeneration(
      { total_cost: 0.5, is_byok: false },
      { readyInMs: ready ? 0 : 60_000 },
    ).id;
  });
}

/** Spawns the bin and sends `signal` once `ready(stdout)` holds. */
function spawnAndSignal(
  args: string[],
  stdin: string,
  signal: NodeJS.Signals,
  ready: (stdout: string) => boolean,
) {
  let seenBeforeSignal = '';
  return spawnBin(args, {
    env: env(),
    stdin,
    onSpawn: (child: ChildProcess) => {
      let stdout = '';
      child.stdout?.on('data', (chunk: string) => {
        stdout += chunk;
      });
      signalOnceReady(() => {
        if (!ready(stdout)) return false;
        seenBeforeSignal = stdout;
        return true;
      }, signal)(child);
    },
  }).then((result) => ({ ...result, seenBeforeSignal }));
}

const lines = (text: string) => text.trimEnd().split('\n').filter(Boolean);

describe('results stream out as they resolve, and a signal keeps them (items 3, 20)', () => {
  it('--json: NDJSON lines appear while the batch runs; SIGINT keeps them, adds what finished, exits 130', async () => {
    const ids = stalledBatch();
    const result = await spawnAndSignal(
      ['get', '--json', '--concurrency', '8', '-'],
      `${ids.join('\n')}\n`,
      'SIGINT',
      (stdout) => lines(stdout).length >= 5 && answered(ids[12] as string),
    );
    expect(result.code).toBe(130);
    expect(lines(result.seenBeforeSignal).map((line) => JSON.parse(line).id)).toEqual(
      ids.slice(0, 5),
    );
    expect(lines(result.stdout).map((line) => JSON.parse(line).id)).toEqual([
      ...ids.slice(0, 5),
      ids[12],
    ]);
    expect(result.stderr).toBe('genmeta: interrupted: 24 of 30 ids not looked up\n');
  });

  it('--csv: rows stream; SIGTERM exits 143 with every row that resolved', async () => {
    const ids = stalledBatch();
    const result = await spawnAndSignal(
      ['get', '--csv', '--fields', 'id,spend', '-'],
      `${ids.join('\n')}\n`,
      'SIGTERM',
      (stdout) => lines(stdout).length >= 6 && answered(ids[12] as string),
    );
    expect(result.code).toBe(143);
    expect(lines(result.seenBeforeSignal)[0]).toBe('id,spend');
    expect(lines(result.stdout)).toEqual([
      'id,spend',
      ...[...ids.slice(0, 5), ids[12]].map((id) => `${id},0.5`),
    ]);
  });

  it('table: a short table is printed whole on the signal', async () => {
    const ids = stalledBatch();
    const result = await spawnAndSignal(
      ['get', '-'],
      `${ids.join('\n')}\n`,
      'SIGINT',
      () => answered(ids[12] as string) && ids.slice(0, 5).every(answered),
    );
    expect(result.code).toBe(130);
    const [header, ...rows] = lines(result.stdout);
    expect(header).toMatch(/^ID\s+MODEL/);
    expect(rows.map((row) => row.split(/\s+/)[0])).toEqual([...ids.slice(0, 5), ids[12]]);
  });

  it('cost: the summary so far, with the ids not looked up counted', async () => {
    const ids = stalledBatch();
    const result = await spawnAndSignal(
      ['cost', '--json', '-'],
      `${ids.join('\n')}\n`,
      'SIGINT',
      () => answered(ids[12] as string) && ids.slice(0, 5).every(answered),
    );
    expect(result.code).toBe(130);
    expect(JSON.parse(result.stdout)).toMatchObject({
      count: 6,
      totalUsd: 3,
      notLookedUpCount: 24,
      interrupted: true,
    });
  });

  it('looks up at most a bounded window past a result that holds up the output', async () => {
    const head = testbed.fake.addGeneration({}, { readyInMs: 600_000 }).id;
    const rest = Array.from({ length: 3000 }, () => testbed.fake.addGeneration().id);
    const controller = new AbortController();
    const stdout = captureOutput();
    const running = run({
      argv: ['get', '--json', '--concurrency', '64', head, ...rest],
      env: env(),
      stdout,
      stderr: captureOutput(),
      signal: controller.signal,
    });
    // Once the window is full, wait for one more poll of the stalled id: plenty of time for
    // the batch to run past the window if nothing bounded it.
    await new Promise<void>((resolve) => {
      let pollsAfterFull: number | undefined;
      const timer = setInterval(() => {
        const calls = generationCalls();
        const headPolls = calls.filter((call) => call.id === head).length;
        const served = calls.filter((call) => call.status === 200).length;
        if (pollsAfterFull === undefined && served >= 1023) pollsAfterFull = headPolls;
        if (pollsAfterFull !== undefined && headPolls > pollsAfterFull) {
          clearInterval(timer);
          resolve();
        }
      }, 20);
    });
    const distinct = new Set(generationCalls().map((call) => call.id));
    controller.abort(new Error('interrupted'));
    expect(await running).toBe(130);
    expect(distinct.size).toBe(1024);
    // past the abort, what finished behind the stalled id is printed too, in order
    expect(lines(stdout.text()).map((line) => JSON.parse(line).id)).toEqual(rest.slice(0, 1023));
  });
  it('waits for a stdout that is not read instead of buffering results', async () => {
    const { PassThrough } = await import('node:stream');
    const ids = Array.from({ length: 3000 }, () => testbed.fake.addGeneration().id);
    const clock = testbed.fake.addGeneration({}, { readyInMs: 600_000 }).id;
    const controller = new AbortController();
    // a reader that never reads: after its 1 kB buffer, every write says "wait for drain"
    const stdout = Object.assign(new PassThrough({ highWaterMark: 1024 }), { isTTY: false });
    const blocked = run({
      argv: ['get', '--json', '--concurrency', '64', ...ids],
      env: env(),
      stdout,
      stderr: captureOutput(),
      signal: controller.signal,
    });
    // A second run polling a stalled id is the clock: two of its polls after the batch's first
    // lookups were answered leave it ample time to run on if nothing held it back.
    const ticking = run({
      argv: ['get', clock],
      env: env(),
      stdout: captureOutput(),
      stderr: captureOutput(),
      signal: controller.signal,
    });
    await new Promise<void>((resolve) => {
      let pollsWhenFull: number | undefined;
      const timer = setInterval(() => {
        const calls = generationCalls();
        const polls = calls.filter((call) => call.id === clock).length;
        if (
          pollsWhenFull === undefined &&
          calls.filter((call) => call.status === 200).length >= 64
        ) {
          pollsWhenFull = polls;
        }
        if (pollsWhenFull !== undefined && polls >= pollsWhenFull + 2) {
          clearInterval(timer);
          resolve();
        }
      }, 20);
    });
    const looked = new Set(generationCalls().map((call) => call.id)).size - 1;
    const buffered = stdout.writableLength;
    controller.abort(new Error('interrupted'));
    stdout.resume();
    expect(await blocked).toBe(130);
    expect(await ticking).toBe(130);
    // at most the look-ahead window, plus one batch of writes (64 kB) taken before the reader
    // was seen to be full; without backpressure the batch runs on to all 3,000
    expect(looked).toBeLessThanOrEqual(1024 + 64);
    expect(buffered).toBeLessThan(256 * 1024);
  });
});

describe('large and hostile stdin (items 13, 22)', () => {
  it('reads 1,000,000 ids from stdin', async () => {
    const ids = Array.from({ length: 100 }, () => testbed.fake.addGeneration().id);
    const stdin = `${Array.from({ length: 1_000_000 }, (_, index) => ids[index % 100]).join('\n')}\n`;
    const result = await spawnBin(['get', '--json', '--concurrency', '16', '-'], {
      env: env(),
      stdin,
    });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(lines(result.stdout).map((line) => JSON.parse(line).id)).toEqual(ids);
    // each id looked up (a retried connection may add a call, as in the 1,000-id bin test)
    expect(new Set(generationCalls().map((call) => call.id))).toEqual(new Set(ids));
  });

  it('checks all 1,000,000 distinct ids before any request, naming the bad line', async () => {
    const stdin = `${Array.from({ length: 999_999 }, (_, index) => `gen-${index}`).join('\n')}\nnot an id\n`;
    const result = await spawnBin(['get', '-'], { env: env(), stdin });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('stdin line 1000000: "not an id"');
    expect(testbed.fake.calls).toHaveLength(0);
  });

  it('stops at a 32 MB line, naming it, without a request', async () => {
    const stdin = `gen-1\ngen-2\n${'x'.repeat(32 * 1024 * 1024)}\ngen-3\n`;
    const result = await spawnBin(['get', '-'], { env: env(), stdin });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^genmeta: stdin line 3 is longer than 1048576 bytes/);
    expect(testbed.fake.calls).toHaveLength(0);
  });
});

describe('the key (item 9)', () => {
  it('a key with an inner newline in the environment: exit 3, no piece of it on stderr', async () => {
    const key = `${testbed.fake.apiKey}\nsecond-line-of-the-file-0123456789`;
    const result = await spawnBin(['get', 'gen-1'], {
      env: { OPENROUTER_API_KEY: key, OPENROUTER_BASE_URL: testbed.fake.url },
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('OPENROUTER_API_KEY must hold only the key');
    for (const window of secretWindows(key.replace('\n', ''))) {
      expect(result.stderr).not.toContain(window);
    }
    expect(testbed.fake.calls).toHaveLength(0);
  });
});
