import { setupFakeOpenRouter } from '@genmeta/fake-openrouter/vitest';
import { describe, expect, it } from 'vitest';
import { clientOf, recordingLogger } from './helpers.js';

const fake = setupFakeOpenRouter({ resetAfterEach: true });

describe('logger', () => {
  it('reports attempts, waits and retries to the logger with credentials redacted', async () => {
    const created = fake.addGeneration();
    // A retry (502), then a not-ready wait (404), then the answer: no timing involved.
    fake.script(created.id, [
      { type: 'status', status: 502 },
      { type: 'status', status: 404 },
    ]);
    const logger = recordingLogger();
    await clientOf(fake, { logger, retryDelayMs: 20 }).getGeneration(created.id);
    const levels = new Set(logger.entries.map((entry) => entry.level));
    expect(levels).toEqual(new Set(['debug', 'warn', 'info']));
    const request = logger.entries.find((entry) => entry.message === 'genmeta: request');
    expect(request?.details?.headers).toMatchObject({ authorization: '[REDACTED]' });
    expect(JSON.stringify(logger.entries)).not.toContain(fake.apiKey);
  });

  it('works with console as the logger', async () => {
    const created = fake.addGeneration();
    const client = clientOf(fake, { logger: { ...console, debug: () => undefined } });
    await expect(client.getGeneration(created.id)).resolves.toMatchObject({ id: created.id });
  });
});
