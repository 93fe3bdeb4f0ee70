import { setupFakeOpenRouter } from '@genmeta/fake-openrouter/vitest';
import { describe, expect, it } from 'vitest';
import { InvalidIdError, InvalidResponseError, ServerError } from '../src/index.js';
import { clientOf, rejectionOf } from './helpers.js';

const fake = setupFakeOpenRouter({ resetAfterEach: true });

describe('getGeneration', () => {
  it('returns the data object with wire names and unknown fields kept', async () => {
    const created = fake.addGeneration({ total_cost: 0.0000954, future_field: { nested: true } });
    const generation = await clientOf(fake).getGeneration(created.id);
    expect(generation.id).toBe(created.id);
    expect(generation.total_cost).toBe(0.0000954);
    expect(generation.future_field).toEqual({ nested: true });
    expect(generation.provider_responses?.[0]?.status).toBe(200);
    expect(fake.generationCalls(created.id).length).toBe(1);
  });

  it('sends the id URL-encoded as the id query parameter', async () => {
    const id = 'gen-ä+=%20;x';
    fake.addGeneration({ id });
    const generation = await clientOf(fake).getGeneration(id);
    expect(generation.id).toBe(id);
    expect(fake.calls[0]?.id).toBe(id);
  });

  it.each([
    ['', 'empty'],
    ['gen 1', 'whitespace'],
    ['gen-1\n', 'newline'],
    ['gen\u00a01', 'no-break space'],
    ['gen\u00001', 'control'],
    ['gen/1', 'slash'],
    ['gen?1', 'question mark'],
    ['gen#1', 'hash'],
    ['gen&1', 'ampersand'],
    ['g'.repeat(257), 'too long'],
  ])('rejects the invalid id %j (%s) before any request', async (id) => {
    const error = await rejectionOf(clientOf(fake).getGeneration(id));
    expect(error).toBeInstanceOf(InvalidIdError);
    expect((error as InvalidIdError).code).toBe('invalid_id');
    expect(fake.calls).toHaveLength(0);
  });

  it('rejects a non-string id with InvalidIdError', async () => {
    const error = await rejectionOf(clientOf(fake).getGeneration(42 as unknown as string));
    expect(error).toBeInstanceOf(InvalidIdError);
    expect((error as Error).message).toContain('must be a string');
  });

  it('accepts a 256-character id', async () => {
    const id = `gen-${'a'.repeat(252)}`;
    fake.addGeneration({ id });
    await expect(clientOf(fake).getGeneration(id)).resolves.toMatchObject({ id });
  });
});

describe('error bodies', () => {
  it('reduces a CDN HTML page to its title', async () => {
    const created = fake.addGeneration();
    fake.script(created.id, [{ type: 'html', status: 502 }], { repeat: true });
    const error = await rejectionOf(clientOf(fake, { maxRetries: 0 }).getGeneration(created.id));
    expect(error).toBeInstanceOf(ServerError);
    expect((error as Error).message).toMatch(/^OpenRouter answered 502: .*502/);
    expect((error as Error).message).not.toContain('<');
    expect((error as Error).message.length).toBeLessThan(300);
  });

  it('describes an empty error body', async () => {
    const created = fake.addGeneration();
    fake.script(created.id, [{ type: 'empty', status: 503 }], { repeat: true });
    const error = await rejectionOf(clientOf(fake, { maxRetries: 0 }).getGeneration(created.id));
    expect(error).toBeInstanceOf(ServerError);
    expect((error as Error).message).toBe('OpenRouter answered 503 with an empty body');
  });

  it('describes an invalid JSON error body as text', async () => {
    const created = fake.addGeneration();
    fake.script(created.id, [{ type: 'malformed', status: 500 }], { repeat: true });
    const error = await rejectionOf(clientOf(fake, { maxRetries: 0 }).getGeneration(created.id));
    expect(error).toBeInstanceOf(ServerError);
    expect((error as Error).message).toMatch(/^OpenRouter answered 500: \S/);
  });

  it('turns a 200 with invalid JSON into InvalidResponseError, not SyntaxError', async () => {
    const created = fake.addGeneration();
    fake.script(created.id, [{ type: 'malformed' }], { repeat: true });
    const error = await rejectionOf(clientOf(fake).getGeneration(created.id));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error).not.toBeInstanceOf(SyntaxError);
    expect((error as Error).message).toMatch(/not JSON/);
    expect(fake.generationCalls().length).toBe(1);
  });

  it('turns a 200 with an empty body into InvalidResponseError', async () => {
    const created = fake.addGeneration();
    fake.script(created.id, [{ type: 'empty', status: 200 }], { repeat: true });
    const error = await rejectionOf(clientOf(fake).getGeneration(created.id));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toMatch(/empty body/);
  });

  it('names the first failing field of a 200 that fails the schema', async () => {
    const created = fake.addGeneration();
    const body = JSON.stringify({ data: { ...created, total_cost: '0.01' } });
    fake.script(created.id, [{ type: 'body', status: 200, body }], { repeat: true });
    const error = await rejectionOf(clientOf(fake).getGeneration(created.id));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toMatch(/data\.total_cost expected number, got string/);

    const nested = JSON.stringify({
      data: { ...created, provider_responses: [{ status: 200 }, { status: 'x' }] },
    });
    fake.script(created.id, [{ type: 'body', status: 200, body: nested }], { repeat: true });
    const nestedError = await rejectionOf(clientOf(fake).getGeneration(created.id));
    expect((nestedError as Error).message).toMatch(/data\.provider_responses\[1\]\.status/);

    fake.script(created.id, [{ type: 'body', status: 200, body: '{"nope":1}' }], { repeat: true });
    const missing = await rejectionOf(clientOf(fake).getGeneration(created.id));
    expect((missing as Error).message).toMatch(/data is missing/);
  });
});
