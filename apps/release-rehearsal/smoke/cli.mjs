// @genmeta/cli installed globally (npm install -g, into a temporary prefix on PATH).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

const baseUrl = process.env.OPENROUTER_BASE_URL;
const apiKey = process.env.OPENROUTER_API_KEY;

const version = execFileSync('genmeta', ['--version'], { encoding: 'utf8' }).trim();
assert.ok(version.includes(process.env.GENMETA_PACKAGE_VERSION), `--version printed "${version}"`);

const completion = await fetch(`${baseUrl}/chat/completions`, {
  method: 'POST',
  headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
  body: JSON.stringify({ messages: [{ role: 'user', content: 'hello from the rehearsal' }] }),
});
assert.equal(completion.status, 200);
const id = completion.headers.get('x-generation-id');

// The key comes from OPENROUTER_API_KEY, the base URL from OPENROUTER_BASE_URL.
const json = execFileSync('genmeta', ['get', '--json', id], { encoding: 'utf8' });
const generation = JSON.parse(json);
assert.equal(generation.id, id);
assert.equal(typeof generation.total_cost, 'number');
assert.ok(!json.includes(apiKey), 'the key is not in the output');

const card = execFileSync('genmeta', ['get', id], { encoding: 'utf8' });
assert.ok(card.includes(generation.model), 'the card names the model');

console.log(`genmeta --version: ${version}; genmeta get ${id}: ${generation.model}`);
