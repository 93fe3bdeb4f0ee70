import { inspect } from 'node:util';
import { setupFakeOpenRouter } from '@genmeta/fake-openrouter/vitest';
import { describe, expect, it } from 'vitest';
import {
  type ClientOptions,
  createClient,
  isGenmetaError,
  UnauthorizedError,
} from '../../src/index.js';
import { rejectionOf } from '../helpers.js';
import {
  expectNoPieceOf,
  renderings,
  setupHostileUpstream,
  textLogger,
} from './hostile-upstream.js';

const upstream = setupHostileUpstream();
const fake = setupFakeOpenRouter({ resetAfterEach: true });

/** A 64-character key, with `+ / =` so that its encoded forms differ from it. */
const key = 'sk-or-v1-Zq8+Lm/Ty3=Wx4Ab9Cd7Ef6Gh5Ij4Kl3Mn2Op1Qr0St9Uv8Wx7Yz6AB';

const clientWith = (apiKey: ClientOptions['apiKey'], logger = textLogger()) =>
  createClient({
    apiKey,
    baseUrl: upstream.url,
    maxRetries: 0,
    retryDelayMs: 5,
    logger,
    cache: false,
  });

describe('an upstream echoing the key in an error body', () => {
  it('leaves no 8-character piece of it where the body was cut (scrub first, then shorten)', async () => {
    expect(key).toHaveLength(64);
    const logger = textLogger();
    const client = clientWith(key, logger);
    const errors: unknown[] = [];
    // The key placed across the 200-character cut of a shortened message, at every offset.
    for (let offset = 120; offset <= 200; offset += 8) {
      for (const shape of ['text', 'json', 'html'] as const) {
        upstream.answer((_request, response) => {
          const said = `${'x'.repeat(offset)} ${key} and more text after it`;
          if (shape === 'json') {
            response.writeHead(500, { 'content-type': 'application/json' });
            response.end(JSON.stringify({ error: { code: 500, message: said } }));
          } else if (shape === 'html') {
            response.writeHead(502, { 'content-type': 'text/html' });
            response.end(`<html><head><title>${said}</title></head></html>`);
          } else {
            response.writeHead(503, { 'content-type': 'text/plain' });
            response.end(said);
          }
        });
        errors.push(await rejectionOf(client.getGeneration('gen-echo')));
      }
    }
    // An upstream that cut the key itself: its head ends the body.
    upstream.answer((_request, response) => {
      response.writeHead(500).end(`rejected key ${key.slice(0, 40)}`);
    });
    errors.push(await rejectionOf(client.getGeneration('gen-echo')));
    expect(errors.every(isGenmetaError)).toBe(true);
    expect((errors[0] as Error).message).toContain('[REDACTED]');
    expectNoPieceOf(key, errors.flatMap(renderings));
    expectNoPieceOf(key, logger.lines);
    expect(logger.lines.length).toBeGreaterThan(0);
  });

  it('scrubs the key echoed URL-encoded (either hex case) or JSON-escaped', async () => {
    const logger = textLogger();
    const client = clientWith(key, logger);
    const echoes = [
      encodeURIComponent(key),
      encodeURIComponent(key).replace(/%[0-9A-F]{2}/g, (sequence) => sequence.toLowerCase()),
      JSON.stringify(key).slice(1, -1).replace(/\//g, '\\/'),
      key.replace(/[+/=]/g, (symbol) => `\\u${symbol.charCodeAt(0).toString(16).padStart(4, '0')}`),
    ];
    const errors: unknown[] = [];
    for (const echo of echoes) {
      upstream.answer((_request, response) => {
        response.writeHead(401, { 'content-type': 'text/plain' });
        response.end(`{"echo":"${echo}"} is not a valid key`);
      });
      errors.push(await rejectionOf(client.getGeneration('gen-echo')));
    }
    for (const [index, error] of errors.entries()) {
      expect(error).toBeInstanceOf(UnauthorizedError);
      for (const text of renderings(error)) expect(text).not.toContain(echoes[index]);
      expect((error as Error).message).toContain('[REDACTED]');
    }
    expectNoPieceOf(key, errors.flatMap(renderings));
    expectNoPieceOf(key, logger.lines);
  });

  it('scrubs a key shorter than 4 characters where it stands alone, without mangling words', async () => {
    const client = clientWith('k3y');
    upstream.answer((_request, response) => {
      response.writeHead(401).end('key k3y rejected (hint: k3yring, ak3y are other words)');
    });
    const error = await rejectionOf(client.getGeneration('gen-short'));
    expect((error as Error).message).toBe(
      'OpenRouter answered 401: key [REDACTED] rejected (hint: k3yring, ak3y are other words)',
    );
  });
});

describe('a key no header can carry', () => {
  const broken = [
    ['an inner newline (a two-line key file)', `${key.slice(0, 30)}\n${key.slice(30)}`],
    ['a carriage return', `${key.slice(0, 30)}\r${key.slice(30)}`],
    ['a NUL', `${key.slice(0, 30)}\u0000${key.slice(30)}`],
    ['a character outside ISO-8859-1', `${key.slice(0, 30)}ключ${key.slice(30)}`],
  ] as const;

  it.each(broken)(
    'is refused at creation when it holds %s, with a message without it',
    (_what, bad) => {
      let thrown: unknown;
      try {
        createClient({ apiKey: bad, baseUrl: upstream.url });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(TypeError);
      expect((thrown as Error).message).toMatch(/apiKey is not a usable API key: it contains/);
      expect((thrown as Error).message).toMatch(/character 31 of/);
      expectNoPieceOf(key, renderings(thrown));
    },
  );

  it('from OPENROUTER_API_KEY is refused naming the variable', () => {
    const saved = process.env.OPENROUTER_API_KEY;
    process.env.OPENROUTER_API_KEY = broken[0][1];
    try {
      expect(() => createClient({ baseUrl: upstream.url })).toThrow(
        /OPENROUTER_API_KEY is not a usable API key: it contains a line break/,
      );
    } finally {
      if (saved === undefined) delete process.env.OPENROUTER_API_KEY;
      else process.env.OPENROUTER_API_KEY = saved;
    }
  });

  it.each(broken)(
    'from a key function fails the lookup (%s) with no key in it or its cause',
    async (_what, bad) => {
      const logger = textLogger();
      for (const apiKey of [() => bad, async () => bad]) {
        upstream.answer((_request, response) => response.writeHead(500).end());
        const error = await rejectionOf(clientWith(apiKey, logger).getGeneration('gen-key'));
        expect(error).toBeInstanceOf(UnauthorizedError);
        expect(error).toMatchObject({ code: 'unauthorized', isRetryable: false });
        expect((error as Error).cause).toBeUndefined();
        expectNoPieceOf(key, renderings(error));
        expect(upstream.requests).toHaveLength(0);
      }
      expectNoPieceOf(key, logger.lines);
    },
  );

  it('in extra headers is refused naming the header, not quoting the value', () => {
    let thrown: unknown;
    try {
      createClient({ apiKey: null, baseUrl: upstream.url, headers: { 'x-api-key': broken[0][1] } });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TypeError);
    expect((thrown as Error).message).toMatch(
      /^headers: "x-api-key" is not a valid header name, or its value/,
    );
    expectNoPieceOf(key, renderings(thrown));
  });

  it('keeps working when only surrounding whitespace is wrong (a key file ending in a newline)', async () => {
    const created = fake.addGeneration();
    for (const apiKey of [`${fake.apiKey}\n`, () => ` ${fake.apiKey}\r\n`]) {
      const client = createClient({ apiKey, baseUrl: fake.url, cache: false });
      await expect(client.getGeneration(created.id)).resolves.toMatchObject({ id: created.id });
    }
    expect(fake.calls.every((call) => call.authorized)).toBe(true);
  });
});

describe('credentials in baseUrl', () => {
  const withCredentials = (url: string) => url.replace('http://', 'http://admin:hunter2-s3cret@');

  it('are refused with a clear error that does not print them, not a retryable NetworkError', () => {
    let thrown: unknown;
    try {
      createClient({ apiKey: key, baseUrl: withCredentials(upstream.url) });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TypeError);
    expect(isGenmetaError(thrown)).toBe(false);
    expect((thrown as Error).message).toMatch(/baseUrl must not contain credentials/);
    for (const text of renderings(thrown)) {
      expect(text).not.toContain('hunter2');
      expect(text).not.toContain('admin');
    }
  });

  it('are refused from OPENROUTER_BASE_URL too, and a non-http URL is refused by its scheme alone', () => {
    const saved = process.env.OPENROUTER_BASE_URL;
    process.env.OPENROUTER_BASE_URL = withCredentials(upstream.url);
    try {
      expect(() => createClient({ apiKey: key })).toThrow(/must not contain credentials/);
    } finally {
      if (saved === undefined) delete process.env.OPENROUTER_BASE_URL;
      else process.env.OPENROUTER_BASE_URL = saved;
    }
    expect(() => createClient({ apiKey: key, baseUrl: 'admin:hunter2@example.com/api' })).toThrow(
      /must be an http: or https: URL, got a admin: one/,
    );
    const client = createClient({ apiKey: key, baseUrl: upstream.url });
    expect(inspect(client)).toBe(`GenmetaClient { baseUrl: '${upstream.url}' }`);
  });
});
