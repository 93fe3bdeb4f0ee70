import { inspect } from 'node:util';
import { startFakeOpenRouter } from '@genmeta/fake-openrouter';
import { setupFakeOpenRouter } from '@genmeta/fake-openrouter/vitest';
import { describe, expect, it } from 'vitest';
import { createClient } from '../src/index.js';
import { recordingLogger, rejectionOf } from './helpers.js';

const fake = setupFakeOpenRouter();

/** Every way an error or object usually ends up in a log. */
function renderings(value: unknown): string[] {
  return [
    String(value),
    JSON.stringify(value),
    inspect(value),
    inspect(value, { showHidden: true, depth: Number.POSITIVE_INFINITY }),
    inspect(value, { customInspect: false, showHidden: true, depth: Number.POSITIVE_INFINITY }),
    value instanceof Error ? `${value.message}\n${value.stack}` : '',
  ];
}

function expectNoKey(value: unknown, key: string): void {
  for (const text of renderings(value)) expect(text).not.toContain(key);
}

describe('the API key appears nowhere', () => {
  it('not in the client', () => {
    const key = 'sk-or-v1-client-secret-0123456789';
    const client = createClient({ apiKey: key, baseUrl: fake.url });
    expectNoKey(client, key);
    expect(inspect(client)).toBe(`GenmetaClient { baseUrl: '${fake.url}' }`);
  });

  it('not in errors of any kind, nor in the logger output', async () => {
    const logger = recordingLogger();
    const created = fake.addGeneration();
    const client = createClient({
      apiKey: fake.apiKey,
      baseUrl: fake.url,
      logger,
      retryDelayMs: 5,
      maxRetries: 1,
      timeoutMs: 500,
    });
    const echo = JSON.stringify({
      error: { code: 500, message: `upstream rejected Bearer ${fake.apiKey}` },
    });
    const scripts = [
      [{ type: 'status', status: 401 }],
      [{ type: 'status', status: 429, headers: { 'retry-after': '0' } }],
      [{ type: 'html', status: 502 }],
      [{ type: 'malformed' }],
      [{ type: 'drop' }],
      [{ type: 'slow', delayMs: 3_000 }],
      [{ type: 'body', status: 500, body: echo }],
    ] as const;
    const errors: unknown[] = [];
    for (const steps of scripts) {
      fake.script(created.id, [...steps], { repeat: true });
      errors.push(await rejectionOf(client.getGeneration(created.id)));
    }
    errors.push(await rejectionOf(client.getGeneration('not valid')));
    errors.push(await rejectionOf(client.getGeneration('gen-never', { wait: false })));
    const closed = await startFakeOpenRouter({ apiKey: fake.apiKey });
    await closed.close();
    errors.push(
      await rejectionOf(
        createClient({ apiKey: fake.apiKey, baseUrl: closed.url, maxRetries: 0 }).getGeneration(
          'gen-1',
        ),
      ),
    );
    expect(errors).toHaveLength(10);
    expect((errors[6] as Error).message).toContain('Bearer [REDACTED]');
    for (const error of errors) expectNoKey(error, fake.apiKey);
    expect(logger.entries.length).toBeGreaterThan(10);
    expect(fake.generationCalls().length).toBeGreaterThan(10);
    for (const entry of logger.entries) expectNoKey(entry, fake.apiKey);
  });
});
