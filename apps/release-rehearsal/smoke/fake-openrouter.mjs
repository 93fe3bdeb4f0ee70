// @genmeta/fake-openrouter installed as a dev dependency: its bin starts (through npx, as in a
// package.json script), answers like OpenRouter and stops on SIGTERM; the library starts too.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { startFakeOpenRouter } from '@genmeta/fake-openrouter';

const bin = spawn('npx', ['--no', '--', 'genmeta-fake-openrouter', '--port', '0'], {
  stdio: ['ignore', 'pipe', 'inherit'],
  detached: true, // its own process group, so stopping it stops npx and the server alike
});
let printed = '';
const env = await new Promise((resolve, reject) => {
  bin.stdout.setEncoding('utf8').on('data', (chunk) => {
    printed += chunk;
    const url = /^OPENROUTER_BASE_URL=(\S+)$/m.exec(printed)?.[1];
    const key = /^OPENROUTER_API_KEY=(\S+)$/m.exec(printed)?.[1];
    if (url && key) resolve({ url, key });
  });
  bin.once('exit', (code) => reject(new Error(`the bin exited ${code}: ${printed}`)));
});

try {
  const unauthorized = await fetch(`${env.url}/generation?id=gen-1`);
  assert.equal(unauthorized.status, 401);
  const completion = await fetch(`${env.url}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${env.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ messages: [{ role: 'user', content: 'ping' }] }),
  });
  assert.equal(completion.status, 200);
  const id = completion.headers.get('x-generation-id');
  const found = await fetch(`${env.url}/generation?id=${id}`, {
    headers: { authorization: `Bearer ${env.key}` },
  });
  assert.equal(found.status, 200);
  assert.equal((await found.json()).data.id, id);
} finally {
  process.kill(-bin.pid, 'SIGTERM');
}

const fake = await startFakeOpenRouter();
const added = fake.addGeneration({ total_cost: 0.5 });
assert.equal(fake.generation(added.id).total_cost, 0.5);
await fake.close();

console.log('bin started, answered 401 and 200, stopped; startFakeOpenRouter works');
