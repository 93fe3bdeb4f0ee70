import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { preludeSource } from './prelude.js';
import { type BlockFile, blockName, type ReadmeBlock } from './readme-blocks.js';

/** One compiler error, placed in its README. */
export interface BlockDiagnostic {
  /** `packages/core/README.md:17:5` */
  where: string;
  /** `TS2339` */
  code: string;
  message: string;
  /** the README line the error is on */
  source: string;
}

/** What one compile of every block found. */
export interface CompileOutcome {
  /** by {@link blockName} */
  byBlock: Map<string, BlockDiagnostic[]>;
  /** errors outside the blocks (the prelude, a framework's types): they fail every block's meaning */
  elsewhere: string[];
  /** the compiler's whole output, for a failure message */
  output: string;
}

/**
 * Errors a fragment (a block with a `// ...` line, or a JSDoc `@example`) may have: names it
 * uses without declaring them (`req`, `res`, `id`), a `return` from a function left out, and
 * parameters whose type would come from code that is left out.
 */
export const fragmentAllowedCodes: ReadonlySet<string> = new Set([
  'TS2304', // Cannot find name 'x'.
  'TS2552', // Cannot find name 'x'. Did you mean 'y'?
  'TS2582', // Cannot find name 'it' (a test runner's global).
  'TS2593', // Cannot find name 'describe' (a test runner's global).
  'TS18004', // No value exists in scope for the shorthand property 'x'.
  'TS1108', // A 'return' statement can only be used within a function body (the body left out).
  'TS7006', // Parameter 'x' implicitly has an 'any' type.
  'TS7031', // Binding element 'x' implicitly has an 'any' type.
]);

/**
 * Options a strict user project has. `moduleDetection: force` makes each block a module of its
 * own (top-level await, no clash of names between blocks).
 */
const compilerOptions = {
  strict: true,
  target: 'ES2022',
  lib: ['ES2023', 'DOM', 'DOM.Iterable'],
  module: 'ESNext',
  moduleResolution: 'Bundler',
  moduleDetection: 'force',
  jsx: 'react-jsx',
  esModuleInterop: true,
  resolveJsonModule: true,
  allowJs: true,
  skipLibCheck: true,
  noEmit: true,
  types: ['node'],
};

/** The `tsc` of the workspace's `typescript` (whichever major it is: the command line is the same). */
function tscPath(from: string): string {
  const require = createRequire(join(from, 'index.js'));
  const manifestPath = require.resolve('typescript/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    bin?: Record<string, string>;
  };
  return join(dirname(manifestPath), manifest.bin?.tsc ?? 'bin/tsc');
}

function folderName(block: ReadmeBlock, index: number): string {
  return `${String(index).padStart(2, '0')}-${block.readme.replace(/[^\w]+/g, '-')}-L${block.line}`;
}

/**
 * Writes every block to `workDirectory` (one folder each, its files as the block names them,
 * beside the prelude and a strict tsconfig), runs `tsc --noEmit` once, and maps each error back
 * to its README line. `workDirectory` must sit inside a package that depends on the packages
 * and frameworks the blocks import, so that their types resolve as a user's would.
 */
export async function compileBlocks(
  blocks: readonly ReadmeBlock[],
  workDirectory: string,
): Promise<CompileOutcome> {
  await rm(workDirectory, { recursive: true, force: true });
  await mkdir(workDirectory, { recursive: true });
  const files = new Map<string, { block: ReadmeBlock; file: BlockFile }>();
  await Promise.all(
    blocks.map(async (block, index) => {
      for (const file of block.files) {
        const path = join(workDirectory, folderName(block, index), file.path);
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, `${file.code}\n`);
        files.set(resolve(path), { block, file });
      }
    }),
  );
  await writeFile(join(workDirectory, 'prelude.d.ts'), preludeSource(workDirectory));
  await writeFile(
    join(workDirectory, 'tsconfig.json'),
    JSON.stringify({ compilerOptions, include: ['**/*'] }, null, 2),
  );

  const output = await runTsc(tscPath(workDirectory), workDirectory);
  const byBlock = new Map<string, BlockDiagnostic[]>();
  const elsewhere: string[] = [];
  const lines = output.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    const error = /^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/.exec(line);
    if (error === null) continue;
    const [, path = '', row = '1', column = '1', code = '', first = ''] = error;
    // A message's further lines are indented under it.
    let message = first;
    while (/^\s+\S/.test(lines[index + 1] ?? '')) {
      index += 1;
      message += `\n    ${(lines[index] ?? '').trim()}`;
    }
    const located = files.get(resolve(workDirectory, path));
    if (located === undefined) {
      elsewhere.push(
        `${relative(workDirectory, resolve(workDirectory, path)).split(sep).join('/')}(${row},${column}): ${code}: ${message}`,
      );
      continue;
    }
    const { block, file } = located;
    if (block.fragment && fragmentAllowedCodes.has(code)) continue;
    const readmeLine = file.firstLine + Number(row) - 1;
    const diagnostics = byBlock.get(blockName(block)) ?? [];
    diagnostics.push({
      where: `${block.readme}:${readmeLine}:${column}`,
      code,
      message,
      source: (file.code.split('\n')[Number(row) - 1] ?? '').trim(),
    });
    byBlock.set(blockName(block), diagnostics);
  }
  return { byBlock, elsewhere, output };
}

function runTsc(tsc: string, project: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [tsc, '-p', project, '--pretty', 'false'], {
      cwd: project,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    child.on('error', reject);
    // tsc exits 2 when it found errors: the errors are the result, not a failure to run.
    child.on('close', (code) => {
      if (code === 0 || code === 1 || code === 2) resolvePromise(output);
      else reject(new Error(`tsc exited with ${code}:\n${output}`));
    });
  });
}

/** A failure message that names the README line of each error and quotes it. */
export function describeDiagnostics(
  block: ReadmeBlock,
  diagnostics: readonly BlockDiagnostic[],
): string {
  const kind = block.fragment ? 'fragment (a `// ...` line: undeclared names allowed)' : 'block';
  return [
    `The TypeScript ${kind} at ${blockName(block)} (under "${block.heading}") does not compile under strict:`,
    ...diagnostics.map(
      (diagnostic) =>
        `  ${diagnostic.where} ${diagnostic.code}: ${diagnostic.message}\n      > ${diagnostic.source}`,
    ),
    "A block compiles on its own; it may use app, express, genmeta, openai and the packages' exports without importing them.",
    'A deliberate fragment says so with a `// ...` line.',
  ].join('\n');
}
