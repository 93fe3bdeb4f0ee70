import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExplanationJson } from '../src/explain/explanation-json.js';
import { spawnBin } from './spawn-bin.js';
import { useCliTestbed } from './testbed.js';

const testbed = useCliTestbed('genmeta-explain-');
const { env } = testbed;

const lines = (stdout: string): ExplanationJson[] =>
  stdout
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as ExplanationJson);

const pricingCalls = () => testbed.fake.calls.filter((call) => call.path.endsWith('/endpoints'));

let hostile: Server | undefined;
afterEach(async () => {
  const open = hostile;
  hostile = undefined;
  open?.closeAllConnections();
  if (open) await new Promise((resolve) => open.close(resolve));
});

describe('genmeta explain (the built bin against the fake)', () => {
  it('--json: exactly the documented fields; the parts add up to the charge; an inflated one is the residual', async () => {
    const { fake } = testbed;
    const cached = fake.addPricedGeneration({
      model: 'anthropic/claude-sonnet-4',
      promptTokens: 5000,
      cachedTokens: 1200,
      cacheWriteTokens: 2048,
      completionTokens: 300,
      reasoningTokens: 50,
      searchResults: 3,
      failedAttempts: [{ provider: 'Google', status: 429, latencyMs: 120 }],
    });
    const inflated = fake.addPricedGeneration({ model: 'openai/gpt-4o', inflateUsd: 0.0042 });
    const result = await spawnBin(['explain', '--json', cached.id, inflated.id], { env: env() });
    expect(result.code, result.stderr).toBe(0);
    const [first, second] = lines(result.stdout);
    expect(Object.keys(first ?? {})).toEqual([
      'id',
      'model',
      'provider',
      'chargedUsd',
      'expectedUsd',
      'residualUsd',
      'components',
      'rules',
      'attempts',
    ]);
    expect(first).toMatchObject({
      id: cached.id,
      model: 'anthropic/claude-sonnet-4',
      provider: 'Anthropic',
      chargedUsd: cached.total_cost,
      rules: ['cache_write_from_discount'],
      attempts: [
        { provider: 'Google', status: 429, latencyMs: 120 },
        { provider: 'Anthropic', status: 200 },
      ],
    });
    expect(first?.components.map((component) => Object.keys(component))).toEqual(
      Array(6).fill(['name', 'quantity', 'unitUsd', 'usd']),
    );
    expect(first?.components.map((component) => component.name)).toEqual([
      'prompt',
      'completion',
      'reasoning',
      'cache_read',
      'cache_write',
      'web_search',
    ]);
    const sum = first?.components.reduce(
      (total, component) => total + (component.usd ?? Number.NaN),
      0,
    );
    expect(Math.abs((sum as number) - (first?.chargedUsd as number))).toBeLessThan(1e-9);
    expect(Math.abs(first?.residualUsd as number)).toBeLessThan(1e-9);
    expect(Math.abs((second?.residualUsd as number) - 0.0042)).toBeLessThan(1e-9);
  });

  it('fetches pricing once per model per run, however many ids use it', async () => {
    const { fake } = testbed;
    const ids = [
      ...Array.from({ length: 5 }, () => fake.addPricedGeneration({}).id),
      ...Array.from({ length: 3 }, () => fake.addPricedGeneration({ provider: 'Azure' }).id),
      ...Array.from({ length: 4 }, () => fake.addPricedGeneration({ model: 'openai/gpt-4o' }).id),
    ];
    const result = await spawnBin(['explain', '--json', '-'], {
      env: env(),
      stdin: ids.join('\n'),
    });
    expect(result.code, result.stderr).toBe(0);
    expect(lines(result.stdout).map((line) => line.id)).toEqual(ids);
    expect(
      pricingCalls()
        .map((call) => call.path)
        .sort(),
    ).toEqual([
      '/api/v1/models/openai/gpt-4o-mini/endpoints',
      '/api/v1/models/openai/gpt-4o/endpoints',
    ]);
  });

  it('the card: attempts, parts, rules, residual and the stored errors of a failed generation', async () => {
    const { fake } = testbed;
    const byok = fake.addPricedGeneration({ byok: true, provider: 'Azure' });
    const failed = fake.addPricedGeneration({
      failed: true,
      failedAttempts: [{ provider: 'Azure', status: 503, latencyMs: 80, message: 'Service down' }],
    });
    const hit = fake.addPricedGeneration({ responseCacheHitOf: byok.id });
    const result = await spawnBin(['explain', byok.id, failed.id, hit.id], { env: env() });
    expect(result.code, result.stderr).toBe(0);
    const [byokCard, failedCard, hitCard] = result.stdout.split(/\n(?=gen-)/);
    expect(byokCard).toMatch(/provider +Azure \(priced as "Azure: openai\/gpt-4o-mini"\)/);
    expect(byokCard).toMatch(/byok_upstream +1 /);
    expect(byokCard).toMatch(/· prompt +1,000 +\$0\.00000015 +\$0\.00015/);
    expect(byokCard).toMatch(/· discount +25% /);
    expect(byokCard).toMatch(/byok_fee +1 /);
    expect(byokCard).toMatch(/residual +\$0\.00/);
    expect(byokCard).toMatch(/rule +endpoint_discount: the endpoint takes 25% off its prices/);
    expect(byokCard).toMatch(/rule +byok: /);
    expect(failedCard).toMatch(/attempts +Azure 503 80 ms → OpenAI 502 400 ms/);
    expect(failedCard).toMatch(/rule +zero_completion_insurance: /);
    expect(failedCard).toMatch(/error +Azure 503: Service down/);
    expect(hitCard).toContain(
      `response_cache_hit: served from the stored response of ${byok.id}; billed 0`,
    );
    expect(
      testbed.fake.calls.filter((call) => call.path.endsWith('/generation/content')),
    ).toHaveLength(1);
  });

  it('pricing that cannot be had: the parts are unknown with the reason, never 0; exit 7 and a line on stderr', async () => {
    const { fake } = testbed;
    const { id } = fake.addPricedGeneration({});
    hostile = createServer((request, response) => {
      // Generation lookups go to the fake; its endpoints answer 500 here.
      if (request.url?.includes('/endpoints')) {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end('{"error":{"code":500,"message":"boom"}}');
        return;
      }
      fetch(`${fake.origin}${request.url}`, { headers: { authorization: `Bearer ${fake.apiKey}` } })
        .then(async (answer) => {
          response.writeHead(answer.status, { 'content-type': 'application/json' });
          response.end(await answer.text());
        })
        .catch(() => response.destroy());
    });
    await new Promise<void>((resolve) => hostile?.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}/api/v1`;
    const result = await spawnBin(['explain', '--json', '--deadline', '2s', id], {
      env: env({ OPENROUTER_BASE_URL: baseUrl }),
    });
    expect(result.code).toBe(7);
    expect(result.stderr).toMatch(/pricing of openai\/gpt-4o-mini: server_error/);
    const [line] = lines(result.stdout);
    expect(line?.expectedUsd).toBeNull();
    expect(line?.residualUsd).toBeNull();
    expect(line?.chargedUsd).toBe(testbed.fake.generation(id)?.total_cost);
    for (const component of line?.components ?? []) {
      expect(component.usd).toBeNull();
      expect(component.unknown).toBe('pricing not available: server_error');
    }
    expect(result.stdout + result.stderr).not.toContain(testbed.fake.apiKey);
  });

  it('the same key, exit-code and usage rules as get', async () => {
    const missing = await spawnBin(['explain', 'gen-1764704027-YmgZuzDAKrAywxh1aHQW'], {
      env: env({ OPENROUTER_API_KEY: undefined }),
    });
    expect(missing.code).toBe(3);
    const notFound = await spawnBin(
      ['explain', '--no-wait', 'gen-1764704027-YmgZuzDAKrAywxh1aHQW'],
      { env: env() },
    );
    expect(notFound.code).toBe(4);
    expect((await spawnBin(['explain', '--csv', 'gen-1'], { env: env() })).code).toBe(2);
    const help = await spawnBin(['help', 'explain']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: genmeta explain <id...|-> [flags]');
    expect((await spawnBin(['--help'])).stdout).toContain('genmeta explain <id...|->');
  });
});
