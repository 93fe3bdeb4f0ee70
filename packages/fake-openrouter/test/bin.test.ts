import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOpenRouter } from '../src/index.js';

// Runs the built bin as a real process: `pnpm build` first (turbo does it for `test`).
const binPath = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
});

function run(args: string[]) {
  const child = spawn(process.execPath, [binPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    stdout += text;
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  const exit = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  const printed = new Promise<{ url: string; apiKey: string }>((resolve, reject) => {
    const check = () => {
      const url = /^OPENROUTER_BASE_URL=(\S+)$/m.exec(stdout)?.[1];
      const apiKey = /^OPENROUTER_API_KEY=(\S+)$/m.exec(stdout)?.[1];
      if (url && apiKey) resolve({ url, apiKey });
    };
    child.stdout.on('data', check);
    exit.then(() => reject(new Error(`exited before printing: ${stderr}`)));
  });
  // Runs that are expected to fail never print; they must not count as unhandled rejections.
  printed.catch(() => undefined);
  return { child, exit, printed, output: () => ({ stdout, stderr }) };
}

describe('genmeta-fake-openrouter bin', () => {
  it('starts on a random port, serves, and exits 0 on SIGTERM', async () => {
    const bin = run(['--port', '0', '--api-key', 'sk-or-v1-bin-test']);
    const { url, apiKey } = await bin.printed;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
    expect(apiKey).toBe('sk-or-v1-bin-test');
    const origin = new URL(url).origin;
    const created = await fetch(`${origin}/__fake/generations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ count: 2 }),
    });
    const { ids } = (await created.json()) as { ids: string[] };
    const response = await fetch(`${url}/generation?id=${ids[1]}`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    expect(response.status).toBe(200);
    const chat = await fetch(`${url}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(chat.headers.get('x-generation-id')).toMatch(/^gen-/);
    bin.child.kill('SIGTERM');
    expect(await bin.exit).toEqual({ code: 0, signal: null });
  });

  it('prints a random key by default and exits 0 on SIGINT', async () => {
    const bin = run(['--port', '0', '--stats-delay-ms', '50', '--latency-ms', '0']);
    const { apiKey } = await bin.printed;
    expect(apiKey).toMatch(/^sk-or-v1-fake-/);
    bin.child.kill('SIGINT');
    expect((await bin.exit).code).toBe(0);
  });

  it('--verbose logs requests to stderr without the key', async () => {
    const bin = run(['--port', '0', '--verbose']);
    const { url, apiKey } = await bin.printed;
    const response = await fetch(`${url}/generation?id=gen-nope`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    expect(response.status).toBe(404);
    bin.child.kill('SIGTERM');
    expect((await bin.exit).code).toBe(0);
    const { stderr } = bin.output();
    expect(stderr).toContain('GET /api/v1/generation id=gen-nope -> 404');
    expect(stderr).not.toContain(apiKey);
  });

  it('--help prints usage and exits 0', async () => {
    const bin = run(['--help']);
    expect((await bin.exit).code).toBe(0);
    expect(bin.output().stdout).toContain('--stats-delay-ms');
  });

  it('exits 2 on invalid arguments', async () => {
    for (const args of [['--port', 'abc'], ['--nope'], ['--latency-ms', '-1']]) {
      const bin = run(args);
      expect((await bin.exit).code, args.join(' ')).toBe(2);
      expect(bin.output().stderr).toContain('genmeta-fake-openrouter:');
    }
  });

  it('exits 1 when the port is taken', async () => {
    const taken = await startFakeOpenRouter();
    try {
      const bin = run(['--port', String(taken.port)]);
      expect((await bin.exit).code).toBe(1);
      expect(bin.output().stderr).toContain('EADDRINUSE');
    } finally {
      await taken.close();
    }
  });
});
