// Hostile input and faults (issue 10's CLI items): nothing fetched is lost, no piece of the key
// leaks, no upstream value can drive the terminal or a spreadsheet, nothing crashes. Upstreams
// that misbehave are real node:http servers written here; the rest runs against the fake.
import { describe, expect, it } from 'vitest';
import { type RunCliOptions, runCli } from './helpers.js';
import { secretWindows, sendJson, startHostileServer } from './hostile-server.js';
import { useCliTestbed } from './testbed.js';

const testbed = useCliTestbed('genmeta-adversarial-');
const { env, generationCalls } = testbed;

function cli(argv: string[], options: RunCliOptions = {}) {
  return runCli(argv, { env: env(), ...options });
}

const jsonIds = (stdout: string) =>
  stdout
    .trimEnd()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line).id as string);

// biome-ignore lint/suspicious/noControlCharactersInRegex: what must never reach a terminal
const terminalUnsafe = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('a refused id or key keeps what was fetched (item 2)', () => {
  it('a 403 concerns one generation: the others are printed, exit 7', async () => {
    const [a, b, c] = [1, 2, 3].map(() => testbed.fake.addGeneration().id) as [
      string,
      string,
      string,
    ];
    const forbidden = testbed.fake.addGeneration().id;
    testbed.fake.script(forbidden, [{ type: 'status', status: 403 }], { repeat: true });
    for (const argv of [
      ['get', '--json', a, b, forbidden, c],
      ['get', '--json', '--concurrency', '1', a, b, forbidden, c],
      ['get', '--json', '--concurrency', '1', a, b, c, forbidden],
    ]) {
      const result = await cli(argv);
      expect(result.code).toBe(7);
      expect(jsonIds(result.stdout)).toEqual([a, b, c]);
      expect(result.stderr).toMatch(new RegExp(`^${forbidden}: forbidden: `, 'm'));
    }
  });

  it('a 401 midway stops the batch but prints what was fetched, and says what was skipped', async () => {
    const ids = Array.from({ length: 6 }, () => testbed.fake.addGeneration().id);
    testbed.fake.script(ids[2] as string, [{ type: 'status', status: 401 }], { repeat: true });
    const result = await cli(['get', '--json', '--concurrency', '1', ...ids]);
    expect(result.code).toBe(7);
    expect(jsonIds(result.stdout)).toEqual(ids.slice(0, 2));
    expect(result.stderr).toMatch(new RegExp(`^${ids[2]}: unauthorized: `, 'm'));
    expect(result.stderr).toContain('unauthorized stops the batch: 3 of 6 ids not looked up');
    expect(generationCalls().map((call) => call.id)).toEqual(ids.slice(0, 3));
  });

  it('a 402 first: nothing resolved, exit 3; cost reports the ids not looked up', async () => {
    const ids = Array.from({ length: 4 }, () => testbed.fake.addGeneration({ total_cost: 0.5 }).id);
    testbed.fake.script(ids[0] as string, [{ type: 'status', status: 402 }], { repeat: true });
    const get = await cli(['get', '--json', '--concurrency', '1', ...ids]);
    expect(get).toMatchObject({ code: 3, stdout: '' });
    expect(get.stderr).toContain('insufficient_credits stops the batch');

    const more = Array.from(
      { length: 4 },
      () => testbed.fake.addGeneration({ total_cost: 0.5 }).id,
    );
    testbed.fake.script(more[2] as string, [{ type: 'status', status: 402 }], { repeat: true });
    const cost = await cli(['cost', '--json', '--concurrency', '1', ...more]);
    expect(cost.code).toBe(7);
    expect(JSON.parse(cost.stdout)).toMatchObject({
      count: 2,
      totalUsd: 1,
      unresolvedCount: 1,
      notLookedUpCount: 1,
      interrupted: false,
    });
  });
});

describe('a generation nested too deeply to print (item 14)', () => {
  it('is an invalid_response for that id, never an internal error, in every format', async () => {
    const template = testbed.fake.generation(testbed.fake.addGeneration().id);
    const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const server = await startHostileServer((_request, response, id) => {
      const body = JSON.stringify({ data: { ...template, id, model: 'acme/deep' } });
      // the unknown field goes in as raw text: no serialiser here could write it either
      sendJson(
        response,
        200,
        id.includes('deep') ? `${body.slice(0, -2)},"nested":${deep}}}` : body,
      );
    });
    try {
      const options = { env: env({ OPENROUTER_BASE_URL: server.url }) };
      const json = await cli(['get', '--json', 'gen-deep-1', 'gen-fine-1'], options);
      expect(json.code).toBe(7);
      expect(jsonIds(json.stdout)).toEqual(['gen-fine-1']);
      expect(json.stderr).toMatch(/^gen-deep-1: invalid_response: /m);
      expect(json.stderr).not.toContain('internal error');
      const alone = await cli(['get', '--json', 'gen-deep-2'], options);
      expect(alone.code).toBe(6);
      const fields = await cli(['get', '--csv', '--fields', 'id,nested', 'gen-deep-3'], options);
      expect(fields.code).toBe(6);
      for (const argv of [
        ['get', 'gen-deep-4'],
        ['get', 'gen-deep-5', 'gen-fine-2'],
        ['cost', 'gen-deep-6'],
      ]) {
        const result = await cli(argv, options);
        expect(result.code).not.toBe(1);
        expect(result.stderr).not.toContain('internal error');
      }
    } finally {
      await server.close();
    }
  });
});

describe('CSV cells a spreadsheet would run (item 23)', () => {
  it("neutralises cells starting with = + - @, tab or CR with a leading '; numbers stay numbers", async () => {
    const { id } = testbed.fake.addGeneration({
      model: '=HYPERLINK("http://evil.example","click")',
      provider_name: "+cmd|' /C calc'!A0",
      finish_reason: '@SUM(1+1)',
      native_finish_reason: '-2+3',
      router: '\tcmd',
      origin: '\r=1',
      cache_discount: -0.25,
    });
    const fields =
      'model,provider_name,finish_reason,native_finish_reason,router,origin,cache_discount';
    const result = await cli(['get', '--csv', '--fields', fields, id]);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').slice(1).join('\n')).toBe(
      `"'=HYPERLINK(""http://evil.example"",""click"")",'+cmd|' /C calc'!A0,'@SUM(1+1),'-2+3,'\tcmd,"'\r=1",-0.25\n`,
    );
    const cost = await cli(['cost', '--csv', id]);
    expect(cost.stdout).toContain(`model,"'=HYPERLINK(""http://evil.example"",""click"")",1,`);
    expect(cost.stdout).toContain("provider,'+cmd|' /C calc'!A0,1,");
  });
});

describe('control characters never reach a terminal (item 24)', () => {
  const hostile = 'evil\u001b]0;pwned\u0007\u001b[2J\u202etxt.exe\u0085\u2066x\u0000';

  it('card, table and CSV on a terminal are clean; piped CSV keeps the value', async () => {
    const a = testbed.fake.addGeneration({
      model: hostile,
      provider_name: hostile,
      finish_reason: hostile,
    });
    const b = testbed.fake.addGeneration({ model: hostile });
    const terminal = { stdoutIsTTY: true, columns: 200, env: env({ NO_COLOR: '1' }) };
    const card = await cli(['get', a.id], terminal);
    const table = await cli(['get', a.id, b.id], terminal);
    const fieldsCard = await cli(['get', a.id, '--fields', 'model,provider_name'], terminal);
    const csv = await cli(['get', '--csv', a.id, b.id], terminal);
    const cost = await cli(['cost', a.id, b.id], terminal);
    const costCsv = await cli(['cost', '--csv', a.id], terminal);
    for (const result of [card, table, fieldsCard, csv, cost, costCsv]) {
      expect(result.code).toBe(0);
      expect(result.stdout).not.toMatch(terminalUnsafe);
      expect(result.stdout).toContain('evil?');
    }
    const piped = await cli(['get', '--csv', '--fields', 'model', a.id]);
    expect(piped.stdout).toBe(`model\n${hostile}\n`);
  });

  it('--json escapes them as \\u sequences, and the value parses back whole', async () => {
    const { id } = testbed.fake.addGeneration({ model: hostile, extra: { note: hostile } });
    for (const argv of [
      ['get', '--json', id],
      ['get', '--json', id, 'gen-x', '--no-wait'],
    ]) {
      const result = await cli(argv, { stdoutIsTTY: true });
      const first = argv.length === 3 ? result.stdout : (result.stdout.split('\n')[0] as string);
      expect(result.stdout).not.toMatch(terminalUnsafe);
      expect(result.stdout).toContain('\\u001b]0;pwned\\u0007');
      expect(result.stdout).toContain('\\u202etxt.exe\\u0085\\u2066x\\u0000');
      expect(JSON.parse(first)).toMatchObject({
        model: hostile,
        extra: { note: hostile },
      });
    }
  });

  it('error text on stderr is clean', async () => {
    const server = await startHostileServer((_request, response) =>
      sendJson(response, 404, { error: { code: 404, message: `no such thing ${hostile}` } }),
    );
    try {
      const result = await cli(['get', 'gen-hostile', '--no-wait'], {
        env: env({ OPENROUTER_BASE_URL: server.url }),
      });
      expect(result.code).toBe(4);
      expect(result.stderr).toContain('no such thing evil?');
      expect(result.stderr).not.toMatch(terminalUnsafe);
    } finally {
      await server.close();
    }
  });
});

describe('the key never leaks, in part or encoded (items 8, 9, 10)', () => {
  const key = 'sk-or-v1-0123456789abcdef+/=ghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV';

  function expectNoPieceOfKey(text: string) {
    for (const window of secretWindows(key)) expect(text).not.toContain(window);
  }

  it('an upstream echoing it whole, cut, URL-encoded or JSON-escaped leaves none of it on stderr', async () => {
    const echoes = [
      (secret: string) => `${'x'.repeat(170)} ${secret}`,
      (secret: string) => `${'y'.repeat(120)} ${secret} and more text after the key to cut`,
      (secret: string) => `echo ${encodeURIComponent(secret)}`,
      (secret: string) =>
        `echo ${JSON.stringify(secret).slice(1, -1)} ${'z'.repeat(260)} ${secret}`,
    ];
    const server = await startHostileServer((request, response, id) => {
      const secret = (request.headers.authorization ?? '').replace(/^Bearer /, '');
      const echo = echoes[Number.parseInt(id.split('-')[1] ?? '0', 10) % echoes.length] as (
        secret: string,
      ) => string;
      sendJson(response, id.endsWith('s') ? 500 : 403, {
        error: { code: 403, message: echo(secret) },
      });
    });
    try {
      const ids = ['gen-0', 'gen-1', 'gen-2', 'gen-3', 'gen-0s', 'gen-1s', 'gen-2s', 'gen-3s'];
      for (const argv of [
        ['get', '--json', '--deadline', '1s', ...ids],
        ['cost', '--json', '--deadline', '1s', ...ids],
        ['cost', '--deadline', '1s', ...ids],
      ]) {
        const result = await cli(argv, {
          env: { OPENROUTER_API_KEY: key, OPENROUTER_BASE_URL: server.url },
          stderrIsTTY: true,
        });
        expectNoPieceOfKey(result.stdout);
        expectNoPieceOfKey(result.stderr);
        expect(result.code).toBe(3);
        expect(result.stderr).toContain('[REDACTED]');
      }
    } finally {
      await server.close();
    }
  });

  it('a key with an inner newline or a control character is refused up front, never quoted', async () => {
    const { writeFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const twoLines = join(testbed.directory, 'two-line-key');
    await writeFile(twoLines, `${key.slice(0, 30)}\n${key.slice(30)}\n`);
    const cases: [string[], Record<string, string>][] = [
      [['get', 'gen-1', '--api-key-file', twoLines], { OPENROUTER_BASE_URL: testbed.fake.url }],
      [['get', 'gen-1'], { OPENROUTER_API_KEY: `${key.slice(0, 30)}\n${key.slice(30)}` }],
      [['get', 'gen-1'], { OPENROUTER_API_KEY: `${key.slice(0, 30)}\u0001${key.slice(30)}` }],
      [['get', 'gen-1'], { OPENROUTER_API_KEY: `${key.slice(0, 30)}é${key.slice(30)}` }],
    ];
    for (const [argv, environment] of cases) {
      const result = await runCli(argv, {
        env: { OPENROUTER_BASE_URL: testbed.fake.url, ...environment },
        cwd: testbed.directory,
      });
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(/must hold only the key|characters an API key cannot have/);
      expectNoPieceOfKey(result.stderr);
    }
    expect(testbed.fake.calls).toHaveLength(0);
  });
});

describe('genmeta cost - reads costLogger records (issue 15)', () => {
  it('takes generationIds from record lines, plain and pino-wrapped, and counts other JSON lines', async () => {
    const [a, b, c] = [0.25, 0.5, 1].map(
      (cost) => testbed.fake.addGeneration({ total_cost: cost, is_byok: false }).id,
    ) as [string, string, string];
    const records = { generations: [], unresolved: [] };
    const log = [
      JSON.stringify({ requestId: 'r1', route: '/chat', ...records, generationIds: [a, b] }),
      JSON.stringify({
        level: 30,
        time: 1,
        pid: 1,
        requestId: 'r2',
        ...records,
        generationIds: [c],
        msg: 'genmeta cost',
      }),
      JSON.stringify({ level: 30, time: 2, msg: 'request completed', res: { statusCode: 200 } }),
      JSON.stringify({ requestId: 'r3', ...records, generationIds: [a] }),
      '',
    ].join('\n');
    const result = await cli(['cost', '--json', '-'], { stdin: log });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ count: 3, totalUsd: 1.75 });
    expect(result.stderr).toBe(
      'genmeta: skipped 1 stdin line that is JSON but not a cost record (first: line 3)\n',
    );
    expect(generationCalls()).toHaveLength(3);
  });
});

describe('a genmeta proxy base URL needs no key (issue 15)', () => {
  it('runs without a key and sends none', async () => {
    const template = testbed.fake.generation(testbed.fake.addGeneration().id);
    const proxy = await startHostileServer(
      (_request, response, id) => sendJson(response, 200, { data: { ...template, id } }),
      '/api/genmeta',
    );
    try {
      const result = await runCli(['get', '--json', '--base-url', proxy.url, 'gen-proxied'], {
        env: {},
      });
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(JSON.parse(result.stdout).id).toBe('gen-proxied');
      expect(proxy.requests).toHaveLength(1);
      expect(proxy.requests[0]?.authorization).toBeUndefined();
    } finally {
      await proxy.close();
    }
  });

  it('a proxy that wants a key anyway: exit 3 with how to give one', async () => {
    const proxy = await startHostileServer((_request, response) =>
      sendJson(response, 401, { error: { code: 401, message: 'No auth credentials found' } }),
    );
    try {
      const result = await runCli(['get', 'gen-1'], { env: { OPENROUTER_BASE_URL: proxy.url } });
      expect(result.code).toBe(3);
      expect(result.stderr).toContain('the server wants an API key: set OPENROUTER_API_KEY');
    } finally {
      await proxy.close();
    }
  });
});

describe('the table keeps distinct values distinct (issue 15)', () => {
  it('openai/gpt-4o-mini and openai/gpt-4o do not shorten to the same text on 120 columns', async () => {
    const mini = testbed.fake.addGeneration({
      model: 'openai/gpt-4o-mini',
      provider_name: 'OpenAI',
    });
    const full = testbed.fake.addGeneration({ model: 'openai/gpt-4o', provider_name: 'OpenAI' });
    const result = await cli(['get', mini.id, full.id], {
      stdoutIsTTY: true,
      columns: 120,
      env: env({ NO_COLOR: '1' }),
    });
    const [header, ...rows] = result.stdout.trimEnd().split('\n') as [string, ...string[]];
    for (const line of [header, ...rows]) expect(line.length).toBeLessThanOrEqual(120);
    const start = header.indexOf('MODEL');
    const end =
      header.indexOf('PROVIDER') > 0 ? header.indexOf('PROVIDER') : header.indexOf('COST');
    const models = rows.map((row) => row.slice(start, end).trim());
    // shortened (the terminal is too narrow for every column), yet still two different texts
    expect(models.some((model) => model.includes('…'))).toBe(true);
    expect(new Set(models).size).toBe(2);
    expect(models[0]).toMatch(/mini$/);
  });
});
