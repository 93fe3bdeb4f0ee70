import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import packageJson from '../package.json';
import { runCli } from './helpers.js';
import { binPath, signalOnceReady, spawnBin } from './spawn-bin.js';
import { useCliTestbed } from './testbed.js';

const recorder = fileURLToPath(new URL('./fixtures/record-modules.mjs', import.meta.url));

const testbed = useCliTestbed('genmeta-bin-');
const { env, generationCalls } = testbed;

describe('the built bin', () => {
  it('prints its version and help', async () => {
    const version = await spawnBin(['--version']);
    expect(version).toMatchObject({ code: 0, stdout: `${packageJson.version}\n`, stderr: '' });
    const help = await spawnBin(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Exit codes');
  });

  it('answers help, version and usage errors exactly as run() does', async () => {
    const cases = [
      ['--version'],
      ['--help'],
      ['-h'],
      ['help', 'cost'],
      ['get', '--help'],
      [],
      ['--bogus'],
      ['get', '--concurrency', '0', 'gen-1'],
      ['get', '--api-key', 'sk-or-v1-secret', 'gen-1'],
      ['frobnicate'],
    ];
    for (const argv of cases) {
      const [spawned, direct] = await Promise.all([spawnBin(argv), runCli(argv)]);
      expect({ argv, ...spawned, signal: undefined }).toEqual({
        argv,
        ...direct,
        signal: undefined,
      });
    }
  });

  it('get: card, table, JSON, NDJSON and CSV', async () => {
    const a = testbed.fake.addGeneration({
      model: 'openai/gpt-4o',
      total_cost: 0.25,
      is_byok: false,
    });
    const b = testbed.fake.addGeneration({ model: 'anthropic/claude-sonnet-4' });

    const card = await spawnBin(['get', a.id], { env: env() });
    expect(card).toMatchObject({ code: 0, stderr: '' });
    expect(card.stdout).toMatch(new RegExp(`^${a.id}\\n {2}cost\\s+\\$0\\.25\\n`));

    const table = await spawnBin(['get', a.id, b.id], { env: env() });
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+MODEL/);
    expect(table.stdout.trimEnd().split('\n')).toHaveLength(3);

    const json = await spawnBin(['get', '--json', a.id], { env: env() });
    expect(JSON.parse(json.stdout)).toEqual(testbed.fake.generation(a.id));

    const ndjson = await spawnBin(['get', '--json', a.id, b.id], { env: env() });
    expect(
      ndjson.stdout
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line).id),
    ).toEqual([a.id, b.id]);

    const csv = await spawnBin(['get', '--csv', '--fields', 'id,model,spend', a.id, b.id], {
      env: env(),
    });
    expect(csv.stdout.split('\n')).toEqual([
      'id,model,spend',
      `${a.id},openai/gpt-4o,0.25`,
      expect.stringMatching(new RegExp(`^${b.id},anthropic/claude-sonnet-4,`)),
      '',
    ]);
  });

  it('cost: human, JSON and CSV', async () => {
    const a = testbed.fake.addGeneration({
      model: 'openai/gpt-4o',
      total_cost: 0.25,
      is_byok: false,
    });
    const b = testbed.fake.addGeneration({
      model: 'openai/gpt-4o',
      total_cost: 0.5,
      is_byok: false,
    });
    const human = await spawnBin(['cost', a.id, b.id], { env: env() });
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/Spend\s+\$0\.75\n/);
    const json = await spawnBin(['cost', '--json', a.id, b.id], { env: env() });
    expect(JSON.parse(json.stdout)).toMatchObject({ count: 2, totalUsd: 0.75, unresolved: [] });
    const csv = await spawnBin(['cost', '--csv', a.id, b.id], { env: env() });
    expect(csv.stdout).toContain('total,,2,0.75,0\n');
  });

  it('reads ids from piped stdin, skipping comments, blanks and duplicates', async () => {
    const a = testbed.fake.addGeneration();
    const b = testbed.fake.addGeneration();
    const result = await spawnBin(['get', '--json'], {
      env: env(),
      stdin: `# ids\n${a.id}\n\n${b.id}\n${a.id}\n`,
    });
    expect(result.code).toBe(0);
    expect(
      result.stdout
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line).id),
    ).toEqual([a.id, b.id]);
    expect(generationCalls()).toHaveLength(2);
  });

  it('exit codes: 2 usage, 3 auth, 4 not found, 6 server, 7 partial', async () => {
    const good = testbed.fake.addGeneration();
    const usage = await spawnBin(['get', good.id, '--nope'], { env: env() });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--nope');
    expect((await spawnBin(['get', good.id], { env: {} })).code).toBe(3);
    // key-less against a server that wants a key: its 401 is an auth failure too
    expect(
      (await spawnBin(['get', good.id], { env: { OPENROUTER_BASE_URL: testbed.fake.url } })).code,
    ).toBe(3);
    const refused = await spawnBin(['get', good.id], {
      env: env({ OPENROUTER_API_KEY: 'sk-or-v1-not-the-key' }),
    });
    expect(refused.code).toBe(3);
    expect(refused.stderr).not.toContain('sk-or-v1-not-the-key');
    expect((await spawnBin(['get', 'gen-missing', '--no-wait'], { env: env() })).code).toBe(4);
    const broken = testbed.fake.addGeneration();
    testbed.fake.script(broken.id, [{ type: 'status', status: 502 }], { repeat: true });
    expect((await spawnBin(['get', broken.id, '--deadline', '3s'], { env: env() })).code).toBe(6);
    const partial = await spawnBin(['get', good.id, 'gen-missing', '--no-wait'], { env: env() });
    expect(partial.code).toBe(7);
  });

  it('refuses a key in argv without echoing it', async () => {
    const result = await spawnBin(['get', 'gen-1', '--api-key', testbed.fake.apiKey], {
      env: env(),
    });
    expect(result.code).toBe(2);
    expect(result.stdout + result.stderr).not.toContain(testbed.fake.apiKey);
    expect(result.stderr).toContain('visible to other users');
    expect(testbed.fake.calls).toHaveLength(0);
  });

  it('reads the key from --api-key-file', async () => {
    const { id } = testbed.fake.addGeneration();
    const keyFile = join(testbed.directory, 'key');
    await writeFile(keyFile, `${testbed.fake.apiKey}\n`, { mode: 0o600 });
    const result = await spawnBin(['get', '--json', '--api-key-file', keyFile, id], {
      env: { OPENROUTER_BASE_URL: testbed.fake.url },
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).id).toBe(id);
  });

  it('looks up 1,000 ids from stdin, each once, as NDJSON', async () => {
    const ids = Array.from({ length: 1000 }, () => testbed.fake.addGeneration().id);
    const result = await spawnBin(['get', '--json', '--concurrency', '16', '-'], {
      env: env(),
      stdin: `${ids.join('\n')}\n`,
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1000);
    const printed = lines.map((line) => JSON.parse(line).id as string);
    expect(new Set(printed).size).toBe(1000);
    expect(printed).toEqual(ids);
    const calls = generationCalls().length;
    expect(calls).toBeGreaterThanOrEqual(1000);
    expect(calls).toBeLessThanOrEqual(1010);
  });

  it('stops quietly when the reader of stdout goes away (| head -1)', async () => {
    const ids = Array.from({ length: 300 }, () => testbed.fake.addGeneration().id);
    const result = await new Promise<{ code: number | null; stderr: string; firstLine: string }>(
      (resolve, reject) => {
        const child = spawn(process.execPath, [binPath, 'get', '--json', '-'], {
          env: { ...process.env, ...env() },
        });
        let stderr = '';
        let firstLine = '';
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
          stderr += chunk;
        });
        child.stdout.setEncoding('utf8').once('data', (chunk: string) => {
          firstLine = chunk.split('\n')[0] ?? '';
          child.stdout.destroy();
        });
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stderr, firstLine }));
        child.stdin.end(`${ids.join('\n')}\n`);
      },
    );
    expect(JSON.parse(result.firstLine).id).toBe(ids[0]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('exits 130 on Ctrl-C (SIGINT) while waiting', async () => {
    const { id } = testbed.fake.addGeneration({}, { readyInMs: 60_000 });
    const result = await spawnBin(['get', id], {
      env: env(),
      onSpawn: signalOnceReady(() => generationCalls().length > 0),
    });
    expect(result.code).toBe(130);
    expect(result.stdout).toBe('');
  });

  it('exits 130 on Ctrl-C while reading stdin', async () => {
    // The commands' chunk loads after the bin's SIGINT handler is in place: wait for it.
    const logFile = join(testbed.directory, 'modules-sigint.log');
    await writeFile(logFile, '');
    const result = await spawnBin(['get', '-'], {
      env: env({ GENMETA_MODULE_LOG: logFile }),
      nodeArguments: ['--import', recorder],
      stdin: 'gen-1\n',
      keepStdinOpen: true,
      onSpawn: signalOnceReady(async () =>
        /[\\/]get-command-[^/\\]+\.js$/m.test(await readFile(logFile, 'utf8')),
      ),
    });
    expect(result.code).toBe(130);
    expect(result.stderr).toBe('genmeta: interrupted\n');
    expect(testbed.fake.calls).toHaveLength(0);
  });
});

describe('fast start', () => {
  async function loadedModules(args: string[], extraEnv: Record<string, string | undefined> = {}) {
    const logFile = join(testbed.directory, `modules-${Math.random().toString(36).slice(2)}.log`);
    await writeFile(logFile, '');
    const result = await spawnBin(args, {
      nodeArguments: ['--import', recorder],
      env: { GENMETA_MODULE_LOG: logFile, ...extraEnv },
    });
    const urls = (await readFile(logFile, 'utf8')).split('\n').filter(Boolean);
    return { result, urls };
  }

  const heavy = /[\\/](zod|ky)[\\/]|[\\/]core[\\/]dist[\\/]/;

  it('--version and --help load neither @genmeta/core, zod nor ky', async () => {
    for (const flag of ['--version', '--help']) {
      const { result, urls } = await loadedModules([flag]);
      expect(result.code).toBe(0);
      // answered by the CommonJS launcher alone: not even the ES module bin is loaded
      expect(urls.some((url) => url.endsWith('/dist/launcher.cjs'))).toBe(true);
      expect(urls.some((url) => url.endsWith('/dist/bin.js'))).toBe(false);
      expect(urls.filter((url) => heavy.test(url))).toEqual([]);
    }
  });

  it('the recorder does see them when a command runs (so the check above can fail)', async () => {
    const { urls } = await loadedModules(['get', 'gen-1', '--no-wait'], env());
    expect(urls.some((url) => url.endsWith('/dist/bin.js'))).toBe(true);
    expect(urls.some((url) => /[\\/]zod[\\/]/.test(url))).toBe(true);
    expect(urls.some((url) => /[\\/]ky[\\/]/.test(url))).toBe(true);
  });
});
