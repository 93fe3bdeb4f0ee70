// `genmeta cost -` over an app log that also logs request bodies (issue 19, item 14): only whole
// cost record lines give ids; a bad value inside one is skipped and counted; an attacker's id in
// a logged body is never looked up, however many there are.
import { describe, expect, it } from 'vitest';
import { useCliTestbed } from '../testbed.js';
import { megabytes, spawnMeasured } from './measured-bin.js';

const testbed = useCliTestbed('genmeta-cost-log-');

/** A costLogger record line, as the middleware writes it. */
function recordLine(requestId: string, generationIds: unknown[]): string {
  return JSON.stringify({
    requestId,
    method: 'POST',
    path: '/api/chat',
    route: '/api/chat',
    statusCode: 200,
    startedAt: '2026-12-01T10:00:00.000Z',
    durationMs: 120,
    generationIds,
    generations: [],
    unresolved: [],
  });
}

/** A pino-http line of the app's own that logs the incoming request's body. */
function bodyLine(body: unknown): string {
  return JSON.stringify({ level: 30, time: 1, msg: 'request', req: { method: 'POST' }, body });
}

function cost(stdin: string) {
  return spawnMeasured(['cost', '--json', '-'], { env: testbed.env(), stdin });
}

describe('cost - reads whole cost records only (item 14)', () => {
  it('a bad id inside a record is skipped and counted; a body holding a bad id does not stop the run', async () => {
    const [a, b] = [0.25, 0.5].map(
      (total) => testbed.fake.addGeneration({ total_cost: total, is_byok: false }).id,
    ) as [string, string];
    const log = [
      bodyLine({ generationIds: ['bad id'] }),
      recordLine('r1', [a, 'bad id', 42, b]),
      '',
    ].join('\n');
    const result = await cost(log);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ count: 2, totalUsd: 0.75 });
    expect(result.stderr).toBe(
      [
        'genmeta: skipped 1 stdin line that is JSON but not a cost record (first: line 1)',
        "genmeta: skipped 2 values in cost records' generationIds that are not a generation id (first: line 2)",
        '',
      ].join('\n'),
    );
  });

  it("an attacker's id in a logged body (plain, nested, or record-like under another key) is never added", async () => {
    const own = testbed.fake.addGeneration({ total_cost: 0.1, is_byok: false }).id;
    const attacker = testbed.fake.addGeneration({ total_cost: 900, is_byok: false }).id;
    const log = [
      bodyLine({ generationIds: [attacker] }),
      JSON.stringify({ generationIds: [attacker] }),
      JSON.stringify({ level: 30, payload: { generationIds: [attacker] } }),
      bodyLine(JSON.parse(recordLine('forged', [attacker]))),
      recordLine('r1', [own]),
      '',
    ].join('\n');
    const result = await cost(log);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ count: 1, totalUsd: 0.1 });
    expect(result.stderr).toContain('skipped 4 stdin lines that are JSON but not a cost record');
    expect(testbed.generationCalls().map((call) => call.id)).toEqual([own]);
  });

  it('20 MB of logged bodies full of ids: none looked up, memory bounded', async () => {
    const own = testbed.fake.addGeneration({ total_cost: 0.2, is_byok: false }).id;
    const ids = Array.from({ length: 100 }, (_, index) => `gen-attacker-${index}-${'x'.repeat(8)}`);
    const body = bodyLine({ generationIds: ids });
    const lines = Array.from({ length: Math.ceil((20 * megabytes) / body.length) }, () => body);
    lines.push(recordLine('r1', [own]), '');
    const result = await cost(lines.join('\n'));
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ count: 1, totalUsd: 0.2 });
    expect(testbed.generationCalls().map((call) => call.id)).toEqual([own]);
    // Reading line by line: the log is never held whole (nor its 700,000 ids).
    expect(result.peakRssBytes).toBeLessThan(250 * megabytes);
  });
});
