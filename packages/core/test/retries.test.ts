import { setupFakeOpenRouter } from '@genmeta/fake-openrouter/vitest';
import { describe, expect, it } from 'vitest';
import {
  ForbiddenError,
  InsufficientCreditsError,
  InvalidIdError,
  RateLimitedError,
  ServerError,
  TimeoutError,
  UnauthorizedError,
} from '../src/index.js';
import { clientOf, recordingLogger, rejectionOf, until } from './helpers.js';

const fake = setupFakeOpenRouter({ resetAfterEach: true });

describe('transient failures', () => {
  it.each([
    [408, TimeoutError],
    [429, RateLimitedError],
    [500, ServerError],
    [502, ServerError],
    [503, ServerError],
    [504, ServerError],
    [524, ServerError],
    [529, ServerError],
  ])('retries %i, then succeeds', async (status, ErrorClass) => {
    const created = fake.addGeneration();
    fake.script(created.id, [{ type: 'status', status }]);
    await expect(clientOf(fake).getGeneration(created.id)).resolves.toMatchObject({
      id: created.id,
    });
    expect(fake.generationCalls().length).toBe(2);

    fake.script(created.id, [{ type: 'status', status, message: 'try later' }]);
    const error = await rejectionOf(clientOf(fake, { maxRetries: 0 }).getGeneration(created.id));
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toMatchObject({ status, isRetryable: true, generationId: created.id });
    expect((error as Error).message).toBe(`OpenRouter answered ${status}: try later`);
  });

  it('gives up after maxRetries retries with the last error', async () => {
    const created = fake.addGeneration();
    fake.script(created.id, [{ type: 'status', status: 500 }], { repeat: true });
    const error = await rejectionOf(clientOf(fake).getGeneration(created.id));
    expect(error).toBeInstanceOf(ServerError);
    expect(fake.generationCalls().length).toBe(4);
    fake.reset();
    await rejectionOf(clientOf(fake, { maxRetries: 1 }).getGeneration(created.id));
    expect(fake.generationCalls().length).toBe(2);
  });

  it.each([
    [400, InvalidIdError, 'invalid_id'],
    [401, UnauthorizedError, 'unauthorized'],
    [402, InsufficientCreditsError, 'insufficient_credits'],
    [403, ForbiddenError, 'forbidden'],
  ])('never retries %i', async (status, ErrorClass, code) => {
    const created = fake.addGeneration();
    fake.script(created.id, [{ type: 'status', status }], { repeat: true });
    const error = await rejectionOf(clientOf(fake).getGeneration(created.id));
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toMatchObject({ code, status, isRetryable: false });
    expect(fake.generationCalls().length).toBe(1);
  });

  it('maps an unexpected status to a non-retried ServerError', async () => {
    const created = fake.addGeneration();
    fake.script(created.id, [{ type: 'status', status: 418 }], { repeat: true });
    const error = await rejectionOf(clientOf(fake).getGeneration(created.id));
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ status: 418, isRetryable: false });
    expect(fake.generationCalls().length).toBe(1);
  });

  it('answers a wrong key with UnauthorizedError from the real auth check', async () => {
    const created = fake.addGeneration();
    const error = await rejectionOf(
      clientOf(fake, { apiKey: 'sk-or-v1-wrong' }).getGeneration(created.id),
    );
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(fake.calls[0]?.authorized).toBe(false);
  });

  it('honours Retry-After in seconds', async () => {
    const created = fake.addGeneration();
    fake.script(created.id, [{ type: 'status', status: 429, headers: { 'Retry-After': '1' } }]);
    const logger = recordingLogger();
    const started = Date.now();
    await clientOf(fake, { logger }).getGeneration(created.id);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    const retry = logger.entries.find((entry) => entry.message === 'genmeta: retrying');
    expect(retry?.details).toMatchObject({ delayMs: 1000, status: 429, code: 'rate_limited' });
  });

  it('honours Retry-After as an HTTP date', async () => {
    const created = fake.addGeneration();
    const date = new Date(Date.now() + 2_000).toUTCString();
    fake.script(created.id, [{ type: 'status', status: 503, headers: { 'Retry-After': date } }]);
    const logger = recordingLogger();
    await clientOf(fake, { logger }).getGeneration(created.id);
    const retry = logger.entries.find((entry) => entry.message === 'genmeta: retrying');
    const delayMs = retry?.details?.delayMs as number;
    expect(delayMs).toBeGreaterThan(500);
    expect(delayMs).toBeLessThanOrEqual(2_000);
  });

  it('caps Retry-After at 60 s', async () => {
    const created = fake.addGeneration();
    fake.script(created.id, [{ type: 'status', status: 429, headers: { 'Retry-After': '120' } }]);
    const logger = recordingLogger();
    const controller = new AbortController();
    const pending = rejectionOf(
      clientOf(fake, { logger, deadlineMs: 100_000 }).getGeneration(created.id, {
        signal: controller.signal,
      }),
    );
    await until(() => logger.entries.some((entry) => entry.message === 'genmeta: retrying'));
    const retry = logger.entries.find((entry) => entry.message === 'genmeta: retrying');
    expect(retry?.details?.delayMs).toBe(60_000);
    const reason = new Error('stop');
    controller.abort(reason);
    expect(await pending).toBe(reason);
  });

  it('does not wait past the deadline for a Retry-After', async () => {
    const created = fake.addGeneration();
    fake.script(created.id, [{ type: 'status', status: 429, headers: { 'Retry-After': '10' } }]);
    const started = Date.now();
    const error = await rejectionOf(
      clientOf(fake, { deadlineMs: 2_000 }).getGeneration(created.id),
    );
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ retryAfterMs: 10_000, status: 429 });
    expect(fake.generationCalls().length).toBe(1);
  });
});
