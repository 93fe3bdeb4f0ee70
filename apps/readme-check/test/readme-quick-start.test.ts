// The quick starts run as written: the root README's and core's, each as its own Node process,
// against the fake OpenRouter through the environment a user would set (OPENROUTER_BASE_URL
// and OPENROUTER_API_KEY), with the generation id the README shows.
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type FakeOpenRouter, startFakeOpenRouter } from '@genmeta/fake-openrouter';
import { transform } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockName, type ReadmeBlock, readmeBlocks } from '../src/readme-blocks.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
// Inside this package, so `@genmeta/core` resolves from its node_modules as in a user's app.
const scratch = new URL('../.quickstart/', import.meta.url);
const blocks = readmeBlocks(root);

/** The quick starts: a README, and the first TypeScript block under a heading that matches. */
const quickStarts = [
  { readme: 'README.md', heading: /.*/ },
  { readme: 'packages/core/README.md', heading: /^Quick start$/ },
].map(({ readme, heading }) => {
  const block = blocks.find((item) => item.readme === readme && heading.test(item.heading));
  if (block === undefined) throw new Error(`no quick start block found in ${readme}`);
  return block;
});

let fake: FakeOpenRouter;
beforeAll(async () => {
  fake = await startFakeOpenRouter();
  await mkdir(scratch, { recursive: true });
});
afterAll(() => fake?.close());

async function runBlock(
  block: ReadmeBlock,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { code } = await transform(block.code, {
    loader: block.language,
    format: 'esm',
    target: 'node20',
  });
  const file = fileURLToPath(new URL(`${blockName(block).replace(/[^\w]+/g, '-')}.mjs`, scratch));
  await writeFile(file, code);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], {
      env: { ...process.env, OPENROUTER_BASE_URL: fake.url, OPENROUTER_API_KEY: fake.apiKey },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ code: exitCode, stdout, stderr }));
  });
}

describe('README quick starts run against the fake OpenRouter', () => {
  for (const block of quickStarts) {
    it(`${blockName(block)} prints the model, the provider and the cost`, async () => {
      const id = /gen-[\w-]+/.exec(block.code)?.[0];
      expect(id, `the quick start at ${blockName(block)} shows no generation id`).toBeDefined();
      fake.addGeneration({
        id: id as string,
        model: 'openai/gpt-4o',
        provider_name: 'OpenAI',
        total_cost: 0.0021,
        is_byok: false,
      });
      const result = await runBlock(block);
      expect(
        result,
        `the quick start at ${blockName(block)} failed:\n${result.stderr}`,
      ).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toBe('openai/gpt-4o OpenAI $0.0021\n');
      const lookups = fake.calls.filter(
        (call) => call.path.endsWith('/generation') && call.id === id,
      );
      expect(lookups.at(-1)?.status).toBe(200);
    });
  }
});
