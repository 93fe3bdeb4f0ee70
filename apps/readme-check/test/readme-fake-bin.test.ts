// The fake's README shows how another process creates generations: its shell lines, run as
// written against the bin's own output (the two lines it prints), must work.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const readme = fileURLToPath(
  new URL('../../../packages/fake-openrouter/README.md', import.meta.url),
);
const require = createRequire(import.meta.url);
const bin = join(dirname(require.resolve('@genmeta/fake-openrouter/package.json')), 'dist/bin.js');

function hasCurl(): boolean {
  try {
    execFileSync('curl', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The `curl` command of the README's block that calls the admin endpoint, continuation lines joined. */
function curlCommand(): string {
  const text = readFileSync(readme, 'utf8');
  const block = [...text.matchAll(/```sh\n([\s\S]*?)```/g)]
    .map((match) => match[1] ?? '')
    .find((code) => code.includes('/__fake/generations'));
  if (block === undefined)
    throw new Error('packages/fake-openrouter/README.md shows no /__fake/generations call');
  const lines = block.split('\n');
  const start = lines.findIndex((line) => line.startsWith('curl '));
  return lines.slice(start).join('\n').trim();
}

let server: ChildProcess | undefined;
afterAll(() => {
  server?.kill('SIGTERM');
});

describe('the fake-openrouter README admin call', () => {
  it.skipIf(!hasCurl())('creates generations with the variables the bin prints', async () => {
    server = spawn(process.execPath, [bin, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let printed = '';
    server.stdout?.setEncoding('utf8');
    while (!/OPENROUTER_API_KEY=.*\n/.test(printed)) {
      const [chunk] = (await once(server.stdout as NodeJS.ReadableStream, 'data')) as [string];
      printed += chunk;
    }
    const variables = Object.fromEntries(
      printed
        .trim()
        .split('\n')
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    expect(Object.keys(variables)).toEqual(
      expect.arrayContaining(['OPENROUTER_BASE_URL', 'OPENROUTER_API_KEY']),
    );
    const answer = execFileSync('sh', ['-c', curlCommand()], {
      env: { ...process.env, ...variables },
      encoding: 'utf8',
    });
    expect((JSON.parse(answer) as { ids: string[] }).ids).toHaveLength(3);
  });
});
