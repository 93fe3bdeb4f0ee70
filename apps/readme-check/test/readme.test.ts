// Every TypeScript block of every README, compiled under strict against the built packages and
// the frameworks' own types: one test per block, named by its README and line.
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CompileOutcome, compileBlocks, describeDiagnostics } from '../src/compile-blocks.js';
import { packageExamples } from '../src/jsdoc-examples.js';
import { blockName, extractBlocks, readmeBlocks } from '../src/readme-blocks.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const workDirectory = fileURLToPath(new URL('../.readme-blocks/', import.meta.url));
const blocks = readmeBlocks(root);
// JSDoc `@example`s are shown by editors like README code: compiled too, as fragments.
const examples = packageExamples(root);

let outcome: CompileOutcome;
beforeAll(async () => {
  outcome = await compileBlocks([...blocks, ...examples], workDirectory);
});

describe('README TypeScript blocks compile under strict', () => {
  it('finds the blocks of the root README and of every package', () => {
    const readmes = new Set(blocks.map((block) => block.readme));
    for (const readme of [
      'README.md',
      'packages/core/README.md',
      'packages/node-middleware/README.md',
    ]) {
      expect(readmes, `no TypeScript block found in ${readme}`).toContain(readme);
    }
  });

  it("the prelude and the frameworks' types compile (errors outside any block)", () => {
    expect(outcome.elsewhere, outcome.elsewhere.join('\n')).toEqual([]);
  });

  for (const block of blocks) {
    const title = `${blockName(block)}${block.fragment ? ' (fragment: undeclared names allowed)' : ''}`;
    it(title, () => {
      const diagnostics = outcome.byBlock.get(blockName(block)) ?? [];
      if (diagnostics.length > 0) expect.fail(describeDiagnostics(block, diagnostics));
    });
  }
});

describe('JSDoc @example snippets compile under strict (as fragments)', () => {
  it('finds the examples of the packages', () => {
    expect(examples.length).toBeGreaterThan(5);
  });

  for (const example of examples) {
    it(blockName(example), () => {
      const diagnostics = outcome.byBlock.get(blockName(example)) ?? [];
      if (diagnostics.length > 0) expect.fail(describeDiagnostics(example, diagnostics));
    });
  }
});

describe('the check itself', () => {
  it('names the README line of an error, in a block split into files, and relaxes only fragments', async () => {
    const readme = [
      '# Sample',
      '',
      '```ts',
      '// lib/value.ts',
      'export const value: number = 1;',
      '// app/use.ts',
      "import { value } from '../lib/value';",
      'const text: string = value;',
      '```',
      '',
      '```tsx',
      '// ...',
      'const total: number = undeclared + 1;',
      '```',
      '',
      '```` ```ts ```` at the start of a line is inline code, not a fence',
      '```ts',
      'const total: number = undeclared + 1;',
      'createClient({ baseUrl: 42 });',
      'app.use(express.json());',
      '```',
    ].join('\n');
    const sample = extractBlocks('SAMPLE.md', readme);
    expect(
      sample.map((block) => [block.line, block.language, block.fragment, block.files.length]),
    ).toEqual([
      [4, 'ts', false, 2],
      [12, 'tsx', true, 1],
      [18, 'ts', false, 1],
    ]);
    const result = await compileBlocks(
      sample,
      fileURLToPath(new URL('../.readme-blocks-self-test/', import.meta.url)),
    );
    const codes = (line: number) =>
      (result.byBlock.get(`SAMPLE.md:${line}`) ?? []).map(
        (diagnostic) => `${diagnostic.where} ${diagnostic.code}`,
      );
    expect(codes(4)).toEqual(['SAMPLE.md:8:7 TS2322']);
    expect(codes(12)).toEqual([]);
    expect(codes(18)).toEqual(['SAMPLE.md:18:23 TS2304', 'SAMPLE.md:19:16 TS2322']);
    const message = describeDiagnostics(
      sample[0] as (typeof sample)[number],
      result.byBlock.get('SAMPLE.md:4') ?? [],
    );
    expect(message).toContain('SAMPLE.md:8:7 TS2322');
    expect(message).toContain('> const text: string = value;');
  });
});
