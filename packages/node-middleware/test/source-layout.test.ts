import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The package's own layout rules, read from the sources: folders by feature, small files, and
// imports that point one way (a circle means two files can only be understood together).

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../src');
const MAX_FILES_PER_FOLDER = 20;
const MAX_LINES_PER_FILE = 300;

function sourceFiles(folder: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) files.push(...sourceFiles(path));
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) files.push(path);
  }
  return files;
}

/** `import … from './x.js'`, `export … from '../y.js'`, `import('./z.js')`: relative ones only. */
const RELATIVE_IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm;

/** Each source file and the source files it imports (type-only imports included). */
export function importGraph(root: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(root)) {
    const text = readFileSync(file, 'utf8');
    const imports = [...text.matchAll(RELATIVE_IMPORT)].map((match) =>
      resolve(dirname(file), match[1]!.replace(/\.js$/, '.ts')),
    );
    graph.set(file, imports);
  }
  return graph;
}

/** Every import circle found by a depth-first walk, each as `a -> b -> a` (paths under src/). */
export function importCircles(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const visiting = new Set<string>();
  const visited = new Set<string>();
  const path: string[] = [];
  const circles: string[] = [];
  const visit = (file: string): void => {
    visiting.add(file);
    path.push(file);
    for (const target of graph.get(file) ?? []) {
      if (visiting.has(target)) {
        const circle = [...path.slice(path.indexOf(target)), target];
        circles.push(circle.map((entry) => relative(SRC, entry)).join(' -> '));
      } else if (!visited.has(target) && graph.has(target)) visit(target);
    }
    path.pop();
    visiting.delete(file);
    visited.add(file);
  };
  for (const file of graph.keys()) if (!visited.has(file)) visit(file);
  return circles;
}

describe('source layout of @genmeta/node-middleware', () => {
  const graph = importGraph(SRC);

  it('has no import circles', () => {
    expect(importCircles(graph)).toEqual([]);
  });

  it('finds a circle when there is one (the check itself works)', () => {
    const a = join(SRC, 'a.ts');
    const b = join(SRC, 'b.ts');
    const c = join(SRC, 'c.ts');
    expect(
      importCircles(
        new Map([
          [a, [b]],
          [b, [c]],
          [c, [a]],
        ]),
      ),
    ).toEqual(['a.ts -> b.ts -> c.ts -> a.ts']);
  });

  it('imports only files that exist', () => {
    const missing = [...graph].flatMap(([file, targets]) =>
      targets
        .filter((target) => !graph.has(target))
        .map((target) => `${relative(SRC, file)} -> ${relative(SRC, target)}`),
    );
    expect(missing).toEqual([]);
  });

  it(`keeps at most ${MAX_FILES_PER_FOLDER} files directly in a folder`, () => {
    const perFolder = new Map<string, number>();
    for (const file of graph.keys()) {
      const folder = relative(SRC, dirname(file)) || '.';
      perFolder.set(folder, (perFolder.get(folder) ?? 0) + 1);
    }
    const crowded = [...perFolder].filter(([, count]) => count > MAX_FILES_PER_FOLDER);
    expect(crowded).toEqual([]);
  });

  it(`keeps files under ${MAX_LINES_PER_FILE} lines`, () => {
    const long = [...graph.keys()]
      .map((file) => [relative(SRC, file), readFileSync(file, 'utf8').split('\n').length] as const)
      .filter(([, lines]) => lines > MAX_LINES_PER_FILE);
    expect(long).toEqual([]);
  });
});
