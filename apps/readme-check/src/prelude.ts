import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The packages whose exports a README block may use without importing them, in order: a name
 * exported by two of them (`GenerationCache`) is taken from the first.
 */
export const preludePackages = [
  '@genmeta/core',
  '@genmeta/node-middleware',
  '@genmeta/react-hooks',
  '@genmeta/redis',
  '@genmeta/fake-openrouter',
  '@genmeta/cli',
] as const;

/**
 * The names a package's built declarations export, read from their `export { ... }` lists (the
 * shape tsup writes): `a as Name` gives `Name`, `type Name` gives `Name`.
 */
export function exportedNames(declarations: string): string[] {
  const names: string[] = [];
  for (const match of declarations.matchAll(/^export \{([^}]*)\}/gm)) {
    for (const item of (match[1] ?? '').split(',')) {
      const words = item
        .trim()
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/);
      const name = words[words.length - 1]?.trim();
      if (name) names.push(name);
    }
  }
  return names;
}

/** The built `.d.ts` of a package's main entry, as its `exports` map names it (types first). */
function declarationsOf(packageName: string, from: string): string {
  const require = createRequire(join(from, 'index.js'));
  const manifestPath = require.resolve(`${packageName}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    exports?: { '.'?: { types?: string } };
    types?: string;
  };
  const types = manifest.exports?.['.']?.types ?? manifest.types;
  if (types === undefined) throw new Error(`${packageName} names no types for its main entry`);
  return readFileSync(join(dirname(manifestPath), types), 'utf8');
}

/**
 * The ambient declarations every block compiles with: the packages' exports as globals, and the
 * four names a snippet may use without declaring them: `app` (an Express app), `express`,
 * `genmeta` (a `costLogger()`), `openai` (an OpenAI client). A block's own import or declaration
 * of one of these names shadows the global, as in a real module.
 */
export function preludeSource(from: string): string {
  const seen = new Set<string>(['app', 'express', 'genmeta', 'openai']);
  const imports: string[] = [];
  const aliases: string[] = [];
  preludePackages.forEach((packageName, index) => {
    const namespace = `__readme_${index}`;
    imports.push(`import * as ${namespace} from '${packageName}';`);
    for (const name of exportedNames(declarationsOf(packageName, from))) {
      if (seen.has(name)) continue;
      seen.add(name);
      aliases.push(`  export import ${name} = ${namespace}.${name};`);
    }
  });
  return [
    '// Generated for the README blocks: what a block may use without importing it.',
    ...imports,
    'declare global {',
    ...aliases,
    "  const express: typeof import('express');",
    "  const app: import('express').Express;",
    "  const openai: import('openai').OpenAI;",
    "  const genmeta: import('@genmeta/node-middleware').CostLogger;",
    '}',
    '',
  ].join('\n');
}
