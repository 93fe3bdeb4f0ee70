import { setupFakeOpenRouter } from '@genmeta/fake-openrouter/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, UnauthorizedError } from '../src/index.js';
import { rejectionOf } from './helpers.js';

// The environment as other runtimes present it, on Node: Deno without --allow-env throws on
// every read of process.env (NotCapable); workerd without nodejs_compat has no process.env.
// The real runtimes run in apps/runtime-tests.

const fake = setupFakeOpenRouter({ resetAfterEach: true });
const realEnvironment = Object.getOwnPropertyDescriptor(process, 'env')!;

afterEach(() => {
  Object.defineProperty(process, 'env', realEnvironment);
});

class NotCapable extends Error {
  override name = 'NotCapable';
}

function forbidEnvironment(): void {
  Object.defineProperty(process, 'env', {
    configurable: true,
    get() {
      throw new NotCapable('Requires env access to "OPENROUTER_API_KEY"');
    },
  });
}

describe('an environment that cannot be read', () => {
  it('creates the client without throwing, and each lookup fails naming apiKey and the variable, sending nothing', async () => {
    forbidEnvironment();
    const client = createClient({ baseUrl: fake.url });
    const generation = fake.addGeneration();
    const error = await rejectionOf(client.getGeneration(generation.id));
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect((error as UnauthorizedError).isRetryable).toBe(false);
    expect((error as Error).message).toContain('apiKey option is required');
    expect((error as Error).message).toContain('OPENROUTER_API_KEY');
    expect((error as Error).message).toContain('NotCapable');
    expect(fake.calls).toHaveLength(0);
  });

  it('falls back to the default base URL when OPENROUTER_BASE_URL cannot be read', () => {
    forbidEnvironment();
    expect(createClient({ apiKey: fake.apiKey }).baseUrl).toBe('https://openrouter.ai/api/v1');
  });

  it('says so too where there is no process.env at all', async () => {
    Object.defineProperty(process, 'env', { configurable: true, value: undefined });
    const client = createClient({ baseUrl: fake.url });
    const error = await rejectionOf(client.getGeneration(fake.addGeneration().id));
    expect((error as Error).message).toContain('this runtime has no process.env');
    expect(fake.calls).toHaveLength(0);
  });

  it('works with an explicit apiKey, and apiKey: null sends none without complaint', async () => {
    forbidEnvironment();
    const generation = fake.addGeneration();
    const keyed = createClient({ baseUrl: fake.url, apiKey: fake.apiKey });
    const keyless = createClient({ baseUrl: fake.url, apiKey: null });
    // Node's own fetch reads process.env (proxy settings): give it back for the requests
    Object.defineProperty(process, 'env', realEnvironment);
    expect((await keyed.getGeneration(generation.id)).id).toBe(generation.id);
    const error = await rejectionOf(keyless.getGeneration(generation.id));
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect((error as UnauthorizedError).status).toBe(401);
  });
});
