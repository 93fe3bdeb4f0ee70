// @genmeta/core installed alone, then again next to an app's own zod 4 and ky 2 (one copy each).
// app-dependencies:
// app-dependencies: zod@^4.0.0 ky@^2.0.0
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createClient, formatUsd, isGenmetaError, spendOf } from '@genmeta/core';

const baseUrl = process.env.OPENROUTER_BASE_URL;
const apiKey = process.env.OPENROUTER_API_KEY;

// A completion on the fake, as an app would make one; its stats are served a little later.
const completion = await fetch(`${baseUrl}/chat/completions`, {
  method: 'POST',
  headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
  body: JSON.stringify({ messages: [{ role: 'user', content: 'hello from the rehearsal' }] }),
});
assert.equal(completion.status, 200);
const id = completion.headers.get('x-generation-id');

const client = createClient(); // OPENROUTER_API_KEY and OPENROUTER_BASE_URL from the environment
const generation = await client.getGeneration(id);
assert.equal(generation.id, id);
assert.equal(typeof generation.total_cost, 'number');
assert.match(formatUsd(spendOf(generation)), /^\$\d/);

const failure = await client.getGeneration('not a generation id').catch((error) => error);
assert.ok(isGenmetaError(failure), 'a bad id is a GenmetaError');
assert.equal(failure.code, 'invalid_id');

// One copy of zod and of ky in the app, whoever asked for them.
const tree = JSON.parse(
  execFileSync('npm', ['ls', 'zod', 'ky', '--all', '--json', '--long'], { encoding: 'utf8' }),
);
const copies = { zod: new Set(), ky: new Set() };
const walk = (node) => {
  for (const [name, child] of Object.entries(node.dependencies ?? {})) {
    if (name in copies && child.path) copies[name].add(child.path);
    walk(child);
  }
};
walk(tree);
for (const [name, paths] of Object.entries(copies)) {
  assert.equal(paths.size, 1, `one copy of ${name}, found ${[...paths].join(', ')}`);
}

console.log(`got ${id} (${generation.model}, ${formatUsd(spendOf(generation))}); one zod, one ky`);
