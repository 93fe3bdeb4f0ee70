import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The layout rules of src/: commands over shared/, no import circles, small folders and files.
// The graph counts every relative import: `import type` and `export … from` too, and dynamic
// `import()`, since a circle of types still ties the files' meanings together.

const sourceRoot = fileURLToPath(new URL('../src/', import.meta.url));
const maxFilesPerFolder = 20;
const maxLinesPerFile = 300;

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const specifierPattern =
  /(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

/** Each file's relative imports, resolved to the `.ts` file they name (JSON and the like left out). */
function importGraph(files: readonly string[]): Map<string, string[]> {
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const targets = new Set<string>();
    for (const match of text.matchAll(specifierPattern)) {
      const specifier = match[1] ?? match[2] ?? '';
      const target = resolve(dirname(file), specifier.replace(/\.js$/, '.ts'));
      if (known.has(target)) targets.add(target);
    }
    graph.set(file, [...targets]);
  }
  return graph;
}

/** Every import circle, each as the files around it (found by a depth-first walk). */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const seen = state.get(next);
      if (seen === 'open') cycles.push([...path.slice(path.indexOf(next)), next]);
      else if (seen === undefined) visit(next);
    }
    path.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return cycles;
}

const files = sourceFiles(sourceRoot);
const shown = (file: string) => relative(sourceRoot, file);

describe('the layout of src/', () => {
  it('finds a circle when there is one (the check can fail)', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(findCycles(graph)).toEqual([['a', 'b', 'c', 'a']]);
    expect(
      findCycles(
        new Map([
          ['a', ['b']],
          ['b', []],
        ]),
      ),
    ).toEqual([]);
  });

  it('has no import circles', () => {
    const graph = importGraph(files);
    expect([...graph.values()].flat().length).toBeGreaterThan(100);
    const cycles = findCycles(graph).map((cycle) => cycle.map(shown).join(' -> '));
    expect(cycles).toEqual([]);
  });

  it('has no folder with more than ~20 files directly in it', () => {
    const perFolder = new Map<string, number>();
    for (const file of files) {
      const folder = shown(dirname(file)) || '.';
      perFolder.set(folder, (perFolder.get(folder) ?? 0) + 1);
    }
    const crowded = [...perFolder].filter(([, count]) => count > maxFilesPerFolder);
    expect(crowded).toEqual([]);
  });

  it(`has no source file over ${maxLinesPerFile} lines`, () => {
    const long = files
      .map((file) => [shown(file), readFileSync(file, 'utf8').split('\n').length - 1] as const)
      .filter(([, lines]) => lines > maxLinesPerFile);
    expect(long).toEqual([]);
  });

  it('keeps shared/ free of the commands', () => {
    const graph = importGraph(files);
    const upward = [...graph]
      .filter(([file]) => shown(file).startsWith('shared/'))
      .flatMap(([file, targets]) =>
        targets
          .filter((target) => !shown(target).startsWith('shared/'))
          .map((target) => `${shown(file)} -> ${shown(target)}`),
      );
    expect(upward).toEqual([]);
  });
});
