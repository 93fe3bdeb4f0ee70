import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import packageJson from '../package.json';
import { run } from '../src/index.js';
import { ansiPattern, captureOutput, type RunCliOptions, runCli } from './helpers.js';
import { useCliTestbed } from './testbed.js';

const testbed = useCliTestbed('genmeta-cli-');
const { env, generationCalls } = testbed;

function cli(argv: string[], options: RunCliOptions = {}) {
  return runCli(argv, { env: env(), ...options });
}

function expectNoKey(...texts: string[]) {
  for (const text of texts) expect(text).not.toContain(testbed.fake.apiKey);
}

describe('genmeta get', () => {
  it('prints a card for one id, without colors when piped', async () => {
    const generation = testbed.fake.addGeneration({
      model: 'openai/gpt-4o-mini',
      provider_name: 'OpenAI',
      total_cost: 0.0021,
      is_byok: false,
      upstream_inference_cost: null,
      native_tokens_prompt: 1234,
      native_tokens_completion: 56,
      native_tokens_reasoning: 7,
      native_tokens_cached: 8,
      latency: 1520,
      generation_time: 640,
      finish_reason: 'stop',
      streamed: true,
      cancelled: false,
    });
    const result = await cli(['get', generation.id]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).not.toMatch(ansiPattern);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe(generation.id);
    expect(result.stdout).toMatch(/cost\s+\$0\.0021\n/);
    expect(result.stdout).toMatch(/model\s+openai\/gpt-4o-mini\n/);
    expect(result.stdout).toMatch(/provider\s+OpenAI\n/);
    expect(result.stdout).toMatch(
      /tokens\s+1,234 prompt · 56 completion · 7 reasoning · 8 cached\n/,
    );
    expect(result.stdout).toMatch(/latency\s+1\.52 s\n/);
    expect(result.stdout).toMatch(/generation\s+640 ms\n/);
    expect(result.stdout).toMatch(/finish\s+stop\n/);
    expect(result.stdout).toMatch(/flags\s+streamed\n/);
  });

  it('shows BYOK spend as fee plus provider charge, and unknown (never 0) when it is missing', async () => {
    const byok = testbed.fake.addGeneration({
      is_byok: true,
      total_cost: 0.001,
      upstream_inference_cost: 0.02,
      cancelled: true,
    });
    const card = await cli(['get', byok.id]);
    expect(card.stdout).toMatch(/cost\s+\$0\.021\b/);
    expect(card.stdout).toMatch(/flags\s+BYOK, cancelled/);

    const unknown = testbed.fake.addGeneration({
      is_byok: true,
      total_cost: 0,
      upstream_inference_cost: null,
    });
    const unknownCard = await cli(['get', unknown.id]);
    expect(unknownCard.stdout).toMatch(/cost\s+unknown/);
    const json = await cli(['get', unknown.id, '--json', '--fields', 'id,spend']);
    expect(JSON.parse(json.stdout)).toEqual({ id: unknown.id, spend: null });
    const csv = await cli(['get', unknown.id, '--csv', '--fields', 'id,spend']);
    expect(csv.stdout).toBe(`id,spend\n${unknown.id},\n`);
  });

  it('colors on a terminal, never with NO_COLOR or --no-color, and with FORCE_COLOR when piped', async () => {
    const { id } = testbed.fake.addGeneration();
    expect((await cli(['get', id], { stdoutIsTTY: true })).stdout).toMatch(ansiPattern);
    const noColor = await cli(['get', id], { stdoutIsTTY: true, env: env({ NO_COLOR: '1' }) });
    expect(noColor.stdout).not.toMatch(ansiPattern);
    expect(noColor.stdout).toContain(id);
    expect((await cli(['get', id, '--no-color'], { stdoutIsTTY: true })).stdout).not.toMatch(
      ansiPattern,
    );
    expect((await cli(['get', id], { env: env({ FORCE_COLOR: '1' }) })).stdout).toMatch(
      ansiPattern,
    );
    const both = await cli(['get', id], { env: env({ FORCE_COLOR: '1', NO_COLOR: 'yes' }) });
    expect(both.stdout).not.toMatch(ansiPattern);
  });

  it('prints an aligned table for many ids, in first-appearance order, fitted to the terminal', async () => {
    const a = testbed.fake.addGeneration({
      model: 'anthropic/claude-sonnet-4-with-a-very-long-model-name',
    });
    const b = testbed.fake.addGeneration({ model: 'openai/gpt-4o' });
    const c = testbed.fake.addGeneration({ model: 'google/gemini-2.5-flash' });
    const piped = await cli(['get', b.id, a.id, c.id, b.id]);
    expect(piped.code).toBe(0);
    const lines = piped.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(
      /^ID\s+MODEL\s+PROVIDER\s+COST\s+PROMPT\s+COMPLETION\s+LATENCY\s+FINISH/,
    );
    expect(lines.slice(1).map((line) => line.split(/\s+/)[0])).toEqual([b.id, a.id, c.id]);
    expect(piped.stdout).toContain('anthropic/claude-sonnet-4-with-a-very-long-model-name');
    const costColumn = lines[0]!.indexOf('COST') + 'COST'.length;
    for (const line of lines.slice(1)) expect(line[costColumn - 1]).toMatch(/\S/);

    const narrow = await cli(['get', b.id, a.id, c.id], {
      stdoutIsTTY: true,
      columns: 70,
      env: env({ NO_COLOR: '1' }),
    });
    const narrowLines = narrow.stdout.trimEnd().split('\n');
    expect(narrowLines).toHaveLength(4);
    for (const line of narrowLines) expect(line.length).toBeLessThanOrEqual(70);
    expect(narrow.stdout).toContain('…');
    // Less important columns go first; ids stay whole.
    expect(narrowLines[0]).toMatch(/^ID\s+MODEL\s+COST$/);
    expect(narrowLines.slice(1).map((line) => line.split(/\s+/)[0])).toEqual([b.id, a.id, c.id]);
    const tiny = await cli(['get', b.id, a.id], {
      stdoutIsTTY: true,
      columns: 20,
      env: env({ NO_COLOR: '1' }),
    });
    for (const line of tiny.stdout.trimEnd().split('\n'))
      expect(line.length).toBeLessThanOrEqual(20);
    // shortened from the middle: ids differ at their tail
    expect(tiny.stdout.split('\n')[1]).toMatch(/^gen-\S*…\S+$/);
  });

  it('streams a long table: widths from the first 100 rows, later rows fitted or widened', async () => {
    const ids = Array.from({ length: 120 }, (_, index) =>
      testbed.fake.addGeneration({
        model: index === 110 ? 'acme/a-model-name-far-longer-than-any-before-it' : 'openai/gpt-4o',
      }),
    ).map((generation) => generation.id);
    const piped = await cli(['get', ...ids]);
    const lines = piped.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(121);
    expect(lines.filter((line) => /^ID\s+MODEL/.test(line))).toHaveLength(1);
    expect(lines.slice(1).map((line) => line.split(/\s+/)[0])).toEqual(ids);
    // piped, nothing is cut: the long name widens its own row
    expect(lines[111]).toContain('acme/a-model-name-far-longer-than-any-before-it');
    const terminal = await cli(['get', ...ids], {
      stdoutIsTTY: true,
      columns: 100,
      env: env({ NO_COLOR: '1' }),
    });
    const fitted = terminal.stdout.trimEnd().split('\n');
    expect(fitted).toHaveLength(121);
    // on a terminal, the long name is shortened from the middle to its column
    for (const line of fitted) expect(line.length).toBeLessThanOrEqual(100);
    expect(fitted[111]).toMatch(/ {2}acme\/\S*…\S*it {2}/);
    expect(fitted[111]).not.toContain('far-longer');
  });

  it('prints one JSON object for one id (pretty on a terminal) and NDJSON for many', async () => {
    const a = testbed.fake.addGeneration({ some_new_field: { nested: true } });
    const b = testbed.fake.addGeneration();
    const one = await cli(['get', '--json', a.id]);
    expect(one.stdout.trimEnd().split('\n')).toHaveLength(1);
    const parsed = JSON.parse(one.stdout);
    expect(parsed).toEqual(testbed.fake.generation(a.id));
    expect(parsed.some_new_field).toEqual({ nested: true });

    const pretty = await cli(['get', '--json', a.id], { stdoutIsTTY: true });
    expect(pretty.stdout).toContain('\n  "id": ');
    expect(JSON.parse(pretty.stdout).id).toBe(a.id);

    const many = await cli(['get', '--json', b.id, a.id], { stdoutIsTTY: true });
    const lines = many.stdout.trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line).id)).toEqual([b.id, a.id]);
  });

  it('prints CSV with a header and proper quoting', async () => {
    const tricky = testbed.fake.addGeneration({
      model: 'acme/model,"quoted"',
      finish_reason: 'line\nbreak',
    });
    const plain = testbed.fake.addGeneration({
      model: 'openai/gpt-4o',
      total_cost: 0.5,
      is_byok: false,
    });
    const result = await cli(['get', '--csv', tricky.id, plain.id]);
    expect(result.code).toBe(0);
    expect(result.stdout.startsWith('id,created_at,model,provider_name,spend,total_cost,')).toBe(
      true,
    );
    expect(result.stdout).toContain(`${tricky.id},`);
    expect(result.stdout).toContain('"acme/model,""quoted"""');
    expect(result.stdout).toContain('"line\nbreak"');
    const selected = await cli([
      'get',
      '--csv',
      '--fields',
      'id,model,total_cost,is_byok',
      plain.id,
    ]);
    expect(selected.stdout).toBe(
      `id,model,total_cost,is_byok\n${plain.id},openai/gpt-4o,0.5,false\n`,
    );
  });

  it('selects --fields in every format, accepting new fields the server sends', async () => {
    const generation = testbed.fake.addGeneration({ model: 'openai/gpt-4o', brand_new_field: 'x' });
    const json = await cli([
      'get',
      generation.id,
      '--json',
      '--fields',
      'model,id,brand_new_field',
    ]);
    expect(Object.keys(JSON.parse(json.stdout))).toEqual(['model', 'id', 'brand_new_field']);
    const card = await cli(['get', generation.id, '--fields', 'id,model']);
    expect(card.stdout).toMatch(/^gen-\S+\n {2}id\s+gen-\S+\n {2}model\s+openai\/gpt-4o\n$/);
    const second = testbed.fake.addGeneration();
    const table = await cli(['get', generation.id, second.id, '--fields', 'id,latency']);
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+LATENCY$/);
  });

  it('refuses unknown --fields with the list of valid ones (exit 2)', async () => {
    const { id } = testbed.fake.addGeneration();
    const result = await cli(['get', id, '--json', '--fields', 'id,modle']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('unknown field "modle"');
    expect(result.stderr).toContain('total_cost');
    expect(result.stderr).toContain('provider_name');
  });

  it('reads ids from stdin: comments, blanks and duplicates skipped, each id fetched once', async () => {
    const a = testbed.fake.addGeneration();
    const b = testbed.fake.addGeneration();
    const c = testbed.fake.addGeneration();
    const stdin = `# exported ids\n${b.id}\n\n${a.id}  # retry\n${b.id}\n   \n${c.id}\n${a.id}`;
    const implicit = await cli(['get', '--json'], { stdin });
    expect(implicit.code).toBe(0);
    expect(
      implicit.stdout
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line).id),
    ).toEqual([b.id, a.id, c.id]);
    expect(
      generationCalls()
        .map((call) => call.id)
        .sort(),
    ).toEqual([a.id, b.id, c.id].sort());

    const dash = await cli(['get', '--json', c.id, '-'], { stdin: `${a.id}\n${c.id}\n` });
    expect(
      dash.stdout
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line).id),
    ).toEqual([c.id, a.id]);
  });

  it('does not read a terminal stdin without "-" (usage error)', async () => {
    const result = await cli(['get'], { stdinIsTTY: true });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no generation ids');
  });

  it('exits 0 with a note for empty stdin', async () => {
    const result = await cli(['get', '-'], { stdin: '# nothing\n\n' });
    expect(result).toEqual({
      code: 0,
      stdout: '',
      stderr: 'genmeta: no generation ids on stdin\n',
    });
  });

  it('refuses invalid ids before any request (exit 2)', async () => {
    const result = await cli(['get', 'gen-1', '-'], { stdin: 'gen-2\nhas space\nx/y\n' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('stdin line 2: "has space"');
    expect(result.stderr).toContain('stdin line 3: "x/y"');
    expect(generationCalls()).toHaveLength(0);
  });

  it('waits for a not-ready generation by default, fails at once with --no-wait', async () => {
    const { id } = testbed.fake.addGeneration({}, { readyInMs: 400 });
    const noWait = await cli(['get', id, '--no-wait']);
    expect(noWait.code).toBe(4);
    expect(noWait.stderr).toMatch(new RegExp(`^${id}: not_found: `));
    const waited = await cli(['get', id, '--json'], { stderrIsTTY: true });
    expect(waited.code).toBe(0);
    expect(JSON.parse(waited.stdout).id).toBe(id);
    expect(waited.stderr).toContain('not ready yet, waiting');
    expect(waited.stderr.endsWith('\r\u001b[K')).toBe(true);
  });

  it('gives up on a not-ready generation at --deadline (exit 4)', async () => {
    const { id } = testbed.fake.addGeneration({}, { readyInMs: 30_000 });
    const result = await cli(['get', id, '--deadline', '300ms']);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(new RegExp(`^${id}: not_found: .*300 ms`));
  });

  it('shows progress on a terminal stderr only', async () => {
    const ids = [
      testbed.fake.addGeneration().id,
      testbed.fake.addGeneration().id,
      testbed.fake.addGeneration().id,
    ];
    const terminal = await cli(['get', '--json', ...ids], { stderrIsTTY: true });
    expect(terminal.stderr).toContain('3/3');
    expect(terminal.stderr).toContain('\r');
    expect(terminal.stderr.endsWith('\r\u001b[K')).toBe(true);
    const piped = await cli(['get', '--json', ...ids]);
    expect(piped.stderr).toBe('');
  });

  it('uses --base-url over OPENROUTER_BASE_URL', async () => {
    const { id } = testbed.fake.addGeneration();
    const result = await cli(['get', id, '--base-url', testbed.fake.url], {
      env: env({ OPENROUTER_BASE_URL: 'http://127.0.0.1:9/api/v1' }),
    });
    expect(result.code).toBe(0);
  });
});

describe('genmeta cost', () => {
  it('sums spend by model and provider, tokens, and lists unresolved ids by reason', async () => {
    const a = testbed.fake.addGeneration({
      model: 'openai/gpt-4o',
      provider_name: 'OpenAI',
      total_cost: 0.25,
      is_byok: false,
      native_tokens_prompt: 1000,
      tokens_prompt: 1000,
    });
    const b = testbed.fake.addGeneration({
      model: 'anthropic/claude-sonnet-4',
      provider_name: 'Anthropic',
      total_cost: 0.05,
      is_byok: true,
      upstream_inference_cost: 1,
      native_tokens_prompt: 500,
      tokens_prompt: 500,
    });
    const human = await cli(['cost', a.id, b.id, 'gen-missing', '--no-wait']);
    expect(human.code).toBe(7);
    expect(human.stdout).toMatch(/Spend\s+\$1\.30\n/);
    expect(human.stdout).toMatch(/Generations\s+2 resolved, 1 unresolved/);
    expect(human.stdout).toMatch(
      /By model\n {2}anthropic\/claude-sonnet-4\s+1\s+\$1\.05\n {2}openai\/gpt-4o\s+1\s+\$0\.25\n/,
    );
    expect(human.stdout).toMatch(
      /By provider\n {2}Anthropic\s+1\s+\$1\.05\n {2}OpenAI\s+1\s+\$0\.25\n/,
    );
    expect(human.stdout).toMatch(/Tokens\n(.*\n)*? {2}native prompt\s+1,500\n/);
    expect(human.stdout).toMatch(/Unresolved \(1\)\n {2}not_found\s+1\s+not found/);
    expect(human.stderr).toMatch(/^gen-missing: not_found: /);

    const json = await cli(['cost', '--json', a.id, b.id, 'gen-missing', '--no-wait']);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({
      count: 2,
      totalUsd: 1.3,
      unknownCount: 0,
      unresolvedCount: 1,
      unresolvedByCode: { not_found: 1 },
      unresolved: [{ id: 'gen-missing', code: 'not_found' }],
    });
    expect(report.byModel['openai/gpt-4o']).toEqual({ count: 1, spendUsd: 0.25, unknownCount: 0 });

    const csv = await cli(['cost', '--csv', a.id, b.id]);
    expect(csv.code).toBe(0);
    expect(csv.stdout).toContain('group,name,count,spend_usd,unknown_count\ntotal,,2,1.3,0\n');
    expect(csv.stdout).toContain('model,openai/gpt-4o,1,0.25,0\n');
    expect(csv.stdout).toContain('provider,Anthropic,1,1.05,0\n');
  });

  it('says "at least" when some costs are unknown', async () => {
    const known = testbed.fake.addGeneration({ total_cost: 0.5, is_byok: false });
    const unknown = testbed.fake.addGeneration({
      total_cost: 0,
      is_byok: true,
      upstream_inference_cost: null,
    });
    const result = await cli(['cost', known.id, unknown.id]);
    expect(result.stdout).toMatch(/Spend\s+at least \$0\.50\s+\(1 with unknown cost\)/);
    const json = JSON.parse((await cli(['cost', '--json', known.id, unknown.id])).stdout);
    expect(json).toMatchObject({ totalUsd: 0.5, unknownCount: 1 });
  });

  it('reads ids from stdin and reports an empty input as zero spend', async () => {
    const a = testbed.fake.addGeneration({ total_cost: 0.1, is_byok: false });
    const piped = await cli(['cost', '-', '--json'], { stdin: `${a.id}\n${a.id}\n` });
    expect(JSON.parse(piped.stdout)).toMatchObject({ count: 1, totalUsd: 0.1 });
    const empty = await cli(['cost'], { stdin: '' });
    expect(empty.code).toBe(0);
    expect(empty.stdout).toMatch(/Spend\s+\$0\.00\n/);
  });
});

describe('exit codes', () => {
  it('3 for a refused key, without the key in any output, stopping the batch early', async () => {
    const ids = Array.from({ length: 20 }, () => testbed.fake.addGeneration().id);
    const wrongKey = 'sk-or-v1-wrong-key-0123456789abcdef';
    const result = await cli(['get', '--concurrency', '1', ...ids], {
      env: env({ OPENROUTER_API_KEY: wrongKey }),
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/unauthorized/);
    expect(result.stdout + result.stderr).not.toContain(wrongKey);
    expect(generationCalls().length).toBeLessThan(20);
  });

  it('3 for insufficient credits (402) and forbidden (403)', async () => {
    const { id } = testbed.fake.addGeneration();
    testbed.fake.script(id, [{ type: 'status', status: 402 }], { repeat: true });
    const credits = await cli(['get', id]);
    expect(credits.code).toBe(3);
    expect(credits.stderr).toContain('insufficient_credits');
    testbed.fake.script(id, [{ type: 'status', status: 403 }], { repeat: true });
    expect((await cli(['get', id])).code).toBe(3);
  });

  it('4 for not found', async () => {
    const result = await cli(['get', 'gen-does-not-exist', '--no-wait']);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/^gen-does-not-exist: not_found: .+\n$/);
    const all = await cli(['get', 'gen-nope-1', 'gen-nope-2', '--no-wait']);
    expect(all.code).toBe(4);
    expect(all.stderr.trimEnd().split('\n')).toHaveLength(2);
  });

  it('5 for rate limited', async () => {
    const { id } = testbed.fake.addGeneration();
    testbed.fake.script(id, [{ type: 'status', status: 429, headers: { 'Retry-After': '0' } }], {
      repeat: true,
    });
    const result = await cli(['get', id, '--deadline', '5s']);
    expect(result.code).toBe(5);
    expect(result.stderr).toContain('rate_limited');
  });

  it('6 for a server error, a dropped connection and an unreadable answer', async () => {
    const { id } = testbed.fake.addGeneration();
    testbed.fake.script(id, [{ type: 'status', status: 500 }], { repeat: true });
    const server = await cli(['get', id, '--deadline', '5s']);
    expect(server.code).toBe(6);
    expect(server.stderr).toContain('server_error');
    testbed.fake.script(id, [{ type: 'drop' }], { repeat: true });
    const dropped = await cli(['get', id, '--deadline', '5s']);
    expect(dropped.code).toBe(6);
    testbed.fake.script(id, [{ type: 'malformed' }], { repeat: true });
    const malformed = await cli(['get', id, '--deadline', '5s']);
    expect(malformed.code).toBe(6);
    expect(malformed.stderr).toContain('invalid_response');
  });

  it('6 for a server that is not there', async () => {
    const result = await cli(['get', 'gen-1', '--deadline', '2s'], {
      env: env({ OPENROUTER_BASE_URL: 'http://127.0.0.1:9/api/v1' }),
    });
    expect(result.code).toBe(6);
    expectNoKey(result.stdout, result.stderr);
  });

  it('7 for a partial batch, with the good ids still printed', async () => {
    const good = testbed.fake.addGeneration();
    const result = await cli(['get', '--json', good.id, 'gen-missing', '--no-wait']);
    expect(result.code).toBe(7);
    expect(JSON.parse(result.stdout).id).toBe(good.id);
    expect(result.stderr).toMatch(/^gen-missing: not_found: /);
  });

  it('130 when interrupted', async () => {
    const { id } = testbed.fake.addGeneration({}, { readyInMs: 10_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('interrupted')), 200);
    const result = await cli(['get', id], { signal: controller.signal });
    expect(result.code).toBe(130);
  });

  it('130 when interrupted while reading a stdin that never ends', async () => {
    const controller = new AbortController();
    const stdin = {
      isTTY: false,
      [Symbol.asyncIterator]: () => ({ next: () => new Promise<IteratorResult<string>>(() => {}) }),
    };
    setTimeout(() => controller.abort(new Error('interrupted')), 100);
    const stdout = captureOutput();
    const stderr = captureOutput();
    const code = await run({
      argv: ['get', '-'],
      env: env(),
      stdin,
      stdout,
      stderr,
      signal: controller.signal,
    });
    expect(code).toBe(130);
    expect(stderr.text()).toBe('genmeta: interrupted\n');
  });

  it('2 for bad flags, with a hint to --help', async () => {
    const result = await cli(['get', 'gen-1', '--frobnicate']);
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: 'genmeta: unknown flag --frobnicate\nRun "genmeta help get" for usage.\n',
    });
    const top = await cli(['--frobnicate']);
    expect(top.stderr).toContain('Run "genmeta --help"');
    expect(generationCalls()).toHaveLength(0);
  });
});

describe('the key', () => {
  it('is refused on the command line, without echoing it and without any request', async () => {
    for (const argv of [
      ['get', 'gen-1', '--api-key', testbed.fake.apiKey],
      ['get', 'gen-1', `--api-key=${testbed.fake.apiKey}`],
      ['get', 'gen-1', '--key', testbed.fake.apiKey],
      ['get', testbed.fake.apiKey],
    ]) {
      const result = await cli(argv, { env: env({ OPENROUTER_API_KEY: undefined }) });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('visible to other users');
      expect(result.stderr).toContain('OPENROUTER_API_KEY');
      expect(result.stderr).toContain('--api-key-file');
      expectNoKey(result.stdout, result.stderr);
    }
    expect(testbed.fake.calls).toHaveLength(0);
  });

  it('missing for OpenRouter: names both ways to give it (exit 3)', async () => {
    // OpenRouter's own API (the default base URL) needs a key; a proxy route elsewhere may not.
    const result = await cli(['get', 'gen-1'], { env: {} });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('OPENROUTER_API_KEY');
    expect(result.stderr).toContain('--api-key-file');
    expect(testbed.fake.calls).toHaveLength(0);
  });

  it('comes from --api-key-file (trimmed, relative to cwd), with clear errors', async () => {
    const { id } = testbed.fake.addGeneration();
    await writeFile(join(testbed.directory, 'key.txt'), `  ${testbed.fake.apiKey}\n`);
    await writeFile(join(testbed.directory, 'empty.txt'), '\n  \n');
    const base = { env: { OPENROUTER_BASE_URL: testbed.fake.url }, cwd: testbed.directory };
    const good = await runCli(['get', id, '--api-key-file', 'key.txt'], base);
    expect(good.code).toBe(0);
    expectNoKey(good.stdout, good.stderr);

    const missing = await runCli(['get', id, '--api-key-file', 'nope.txt'], base);
    expect(missing).toMatchObject({ code: 3, stdout: '' });
    expect(missing.stderr).toBe('genmeta: cannot read --api-key-file nope.txt: no such file\n');

    const empty = await runCli(['get', id, '--api-key-file', 'empty.txt'], base);
    expect(empty.code).toBe(3);
    expect(empty.stderr).toContain('is empty');

    const folder = await runCli(['get', id, '--api-key-file', '.'], base);
    expect(folder.code).toBe(3);
    expect(folder.stderr).toContain('directory');
  });

  it('in stdin is refused too (it would end up in a URL)', async () => {
    const result = await cli(['get', '-'], { stdin: `gen-1\n${testbed.fake.apiKey}\n` });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('stdin line 2 looks like an API key');
    expectNoKey(result.stdout, result.stderr);
    expect(testbed.fake.calls).toHaveLength(0);
  });
});

describe('help and version', () => {
  it('--version prints the package version', async () => {
    expect(await runCli(['--version'])).toEqual({
      code: 0,
      stdout: `${packageJson.version}\n`,
      stderr: '',
    });
  });

  it('--help lists commands, flags and one exit code per line', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const flag of [
      '--json',
      '--csv',
      '--fields',
      '--base-url',
      '--deadline',
      '--no-wait',
      '--concurrency',
      '--api-key-file',
      '--no-color',
      '--version',
    ]) {
      expect(result.stdout).toContain(flag);
    }
    for (const code of [0, 1, 2, 3, 4, 5, 6, 7, 130]) {
      expect(result.stdout).toMatch(new RegExp(`\\n  ${code} +\\S`));
    }
    expect(await runCli([])).toEqual(result);
  });

  it('per-command help', async () => {
    const get = await runCli(['get', '--help']);
    expect(get.stdout).toMatch(/^Usage: genmeta get/);
    expect(await runCli(['help', 'get'])).toEqual(get);
    const cost = await runCli(['cost', '-h']);
    expect(cost.stdout).toMatch(/^Usage: genmeta cost/);
    expect(cost.stdout).not.toContain('--fields');
  });
});
