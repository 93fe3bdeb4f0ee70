// Synthetic costLogger records, shaped like the middleware's (every field it writes, plus
// `attributes`): several models and routes, users, BYOK generations without the provider's
// charge (unknown spend), unresolved ids, one pino-wrapped record in eight. Deterministic for a
// given seed, so the screenshot and the benchmark are reproducible.
// Usage: node bench/synthetic-records.mjs COUNT FILE [--days N] [--seed N]

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

const models = [
  ['openai/gpt-4o-mini', 'OpenAI', 0.00002],
  ['openai/gpt-4o', 'OpenAI', 0.0004],
  ['anthropic/claude-3.5-sonnet', 'Anthropic', 0.0009],
  ['google/gemini-2.0-flash', 'Google', 0.00005],
  ['meta-llama/llama-3.3-70b', 'Together', 0.0001],
];
const routes = [
  ['POST', '/api/chat', '/api/chat'],
  ['POST', '/api/chat', '/api/chat'],
  ['POST', '/api/summarize/:docId', '/api/summarize/d-'],
  ['GET', '/api/suggest', '/api/suggest'],
  ['POST', '/api/agent/run', '/api/agent/run'],
];
const users = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi'];
const plans = ['free', 'pro', 'team'];
const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A small seeded PRNG (mulberry32). */
export function createRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick(random, items) {
  return items[Math.floor(random() * items.length)];
}

function generationId(random, seconds) {
  let tail = '';
  for (let index = 0; index < 20; index += 1) tail += letters[Math.floor(random() * 62)];
  return `gen-${seconds}-${tail}`;
}

function round(value) {
  return Math.round(value * 1e9) / 1e9;
}

/**
 * Savings and waste facts, drawn from their own generator so the rest of a record stays the
 * same with or without them: prompt caching on a third of the generations, a response-cache hit
 * of a recent generation on 3%, cancelled 2%, errored 2%, failed attempts before 5%.
 */
function addSavingsFields(draw, generations, random) {
  for (const generation of generations) {
    const roll = draw();
    if (roll < 0.33) {
      generation.tokens.cached = Math.floor(generation.tokens.nativePrompt / 2);
      generation.cache_discount = round((generation.spendUsd ?? 0) * 0.2);
    }
    if (roll > 0.97 && random.lastId !== undefined) {
      generation.response_cache_source_id = random.lastId;
      generation.spendUsd = generation.spendUsd === null ? null : 0;
    }
    const waste = draw();
    if (waste < 0.02) generation.cancelled = true;
    else if (waste < 0.04) generation.finish_reason = 'error';
    if (draw() < 0.05) {
      generation.failedAttempts = {
        count: 1 + Math.floor(draw() * 2),
        latencyMs: 100 + Math.floor(draw() * 900),
      };
    }
    random.lastId = generation.id;
  }
}

/** The JSON line of record number `index`, from `startMs` over `spanMs`. */
export function syntheticLine(random, index, startMs, spanMs) {
  const startedMs = startMs + Math.floor((index / Math.max(1, random.count - 1)) * (spanMs - 1));
  const startedAt = new Date(startedMs).toISOString();
  const seconds = Math.floor(startedMs / 1000);
  const [method, route, pathBase] = pick(random, routes);
  const path = pathBase.endsWith('-') ? `${pathBase}${Math.floor(random() * 5000)}` : pathBase;
  const user = pick(random, users);
  const count = route === '/api/agent/run' ? 1 + Math.floor(random() * 4) : 1;
  const generations = [];
  const unresolved = [];
  let known = 0;
  let complete = true;
  for (let item = 0; item < count; item += 1) {
    const id = generationId(random, seconds);
    const roll = random();
    if (roll < 0.015) {
      unresolved.push({ id, reason: roll < 0.01 ? 'not_found' : 'timeout', status: 404 });
      complete = false;
      continue;
    }
    const [model, provider, price] = pick(random, models);
    const prompt = 50 + Math.floor(random() * 2000);
    const completion = 20 + Math.floor(random() * 800);
    const cost = round((price * (prompt + completion * 3)) / 100);
    const byokUnknown = roll > 0.99;
    const spend = byokUnknown ? null : cost;
    if (spend === null) complete = false;
    else known += spend;
    generations.push({
      id,
      model,
      provider,
      created_at: startedAt.replace('Z', '000+00:00'),
      spendUsd: spend,
      total_cost: byokUnknown ? round(cost * 0.05) : cost,
      upstream_inference_cost: byokUnknown ? null : cost,
      cache_discount: null,
      is_byok: byokUnknown,
      tokens: {
        prompt,
        completion,
        nativePrompt: prompt,
        nativeCompletion: completion,
        reasoning: 0,
        cached: 0,
      },
      latency: 300 + Math.floor(random() * 4000),
      generation_time: 200 + Math.floor(random() * 3000),
      finish_reason: random() < 0.93 ? 'stop' : 'length',
      api_type: 'completions',
      cancelled: false,
      streamed: random() < 0.5,
      external_user: user,
      session_id: `s-${user}-${Math.floor(index / 50)}`,
    });
  }
  if (random.savings) addSavingsFields(random.savings, generations, random);
  const record = {
    requestId: `req-${index.toString(36)}`,
    method,
    path,
    route,
    statusCode: unresolved.length > 0 && random() < 0.5 ? 502 : 200,
    aborted: false,
    startedAt,
    durationMs: 200 + Math.floor(random() * 5000),
    generationIds: [
      ...generations.map((generation) => generation.id),
      ...unresolved.map((item) => item.id),
    ],
    generations,
    unresolved,
    spendUsd: complete ? round(known) : null,
    knownSpendUsd: round(known),
    spendComplete: complete,
    attributes: { user, plan: plans[users.indexOf(user) % 3] },
  };
  if (index % 8 === 7) {
    return JSON.stringify({
      level: 30,
      time: startedMs,
      pid: 4242,
      hostname: 'web-1',
      ...record,
      msg: 'genmeta cost',
    });
  }
  return JSON.stringify(record);
}

/** Writes `count` records to `file`, spread over the `days` days before `endMs`. */
export async function writeSyntheticLog(
  file,
  { count, days = 7, seed = 1, endMs = Date.UTC(2026, 11, 1), savings = false },
) {
  const random = createRandom(seed);
  random.count = count;
  if (savings) random.savings = createRandom(seed + 7919);
  const spanMs = days * 86_400_000;
  const stream = createWriteStream(file);
  let batch = '';
  for (let index = 0; index < count; index += 1) {
    batch += `${syntheticLine(random, index, endMs - spanMs, spanMs)}\n`;
    if (batch.length > 1 << 20) {
      if (!stream.write(batch)) await once(stream, 'drain');
      batch = '';
    }
  }
  stream.end(batch);
  await once(stream, 'close');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [count, file, ...rest] = process.argv.slice(2);
  const option = (name, fallback) => {
    const at = rest.indexOf(name);
    return at === -1 ? fallback : Number(rest[at + 1]);
  };
  if (!count || !file) {
    console.error('usage: node bench/synthetic-records.mjs COUNT FILE [--days N] [--seed N]');
    process.exit(2);
  }
  await writeSyntheticLog(file, {
    count: Number(count),
    days: option('--days', 7),
    seed: option('--seed', 1),
  });
}
