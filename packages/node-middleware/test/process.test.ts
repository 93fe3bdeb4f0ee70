import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { costRecordsIn } from '@genmeta/core/rules';
import { type FakeOpenRouter, startFakeOpenRouter } from '@genmeta/fake-openrouter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CostRecord } from '../src/index.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

let fake: FakeOpenRouter;
beforeAll(async () => {
  fake = await startFakeOpenRouter();
});
afterAll(async () => {
  await fake.close();
});

describe('in a real process (built package)', () => {
  it.each([
    ['SIGTERM', 'express4'],
    ['SIGINT', 'express4'],
    ['SIGTERM', 'express'],
    ['SIGINT', 'express'],
    ['SIGTERM', 'http'],
  ] as const)(
    'handleSignals flushes pending records on %s (%s), then ends by that signal',
    async (signal, framework) => {
      const child = spawn(process.execPath, [fixture('signal-app.mjs')], {
        env: { ...process.env, FAKE_URL: fake.url, FAKE_KEY: fake.apiKey, FRAMEWORK: framework },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      try {
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk) => {
          stdout += chunk;
        });
        const port = await new Promise<string>((resolve, reject) => {
          child.stderr.on('data', (chunk) => {
            stderr += chunk;
            const match = /listening (\d+)/.exec(stderr);
            if (match) resolve(match[1]!);
          });
          child.once('exit', () => reject(new Error(`child exited early: ${stderr}`)));
        });
        // stats become ready only after the signal: the lookup is pending when it arrives
        const { id } = fake.addGeneration({}, { readyInMs: 600 });
        const response = await fetch(`http://127.0.0.1:${port}/?id=${id}`);
        expect(await response.text()).toBe('ok');
        child.kill(signal);
        const [code, exitSignal] = (await once(child, 'exit')) as [number | null, string | null];
        expect(exitSignal).toBe(signal);
        expect(code).toBeNull();
        const records = costRecordsIn(stdout) as CostRecord[];
        expect(records).toHaveLength(1);
        // and nothing else on stdout: every line is a record
        expect(stdout.trim().split('\n')).toHaveLength(1);
        expect(records[0]!.generations.map((generation) => generation.id)).toEqual([id]);
        expect(stdout).not.toContain(fake.apiKey);
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
    },
  );

  it('loads without @opentelemetry/api and explains what otelSink needs', async () => {
    const child = spawn(process.execPath, [fixture('otel-missing.mjs')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(stdout).toContain('otelSink() needs the optional peer dependency @opentelemetry/api');
    expect(stdout).toContain('otelMetrics() needs the optional peer dependency @opentelemetry/api');
    expect(stdout).not.toContain('no error');
  });
});
