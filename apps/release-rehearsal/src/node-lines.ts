import { readFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { rehearsalRoot, workspaceRoot } from './workspace.ts';

/**
 * A version pinned in the root pnpm-workspace.yaml catalog, e.g. `node` → `24.21.0`. The catalog
 * is the one place the project's Node versions are written; tests read them from there.
 */
export function catalogPin(name: string): string {
  const text = readFileSync(join(workspaceRoot, 'pnpm-workspace.yaml'), 'utf8');
  // The `catalog:` block: its indented lines up to the next top-level key.
  const catalog = /^catalog:\n((?:(?: .*)?\n)*)/m.exec(text)?.[1] ?? '';
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`^  "?${escaped}"?: (\\S+)$`, 'm').exec(catalog);
  if (!match?.[1]) throw new Error(`pnpm-workspace.yaml's catalog pins no "${name}"`);
  return match[1];
}

/** The Node the whole test suite runs on: the root devDependency `node` (from the catalog). */
export function testNodeVersion(): string {
  return catalogPin('node');
}

/** The line every Node process of a smoke run on another line writes to stderr (see below). */
const reportPrefix = 'genmeta-rehearsal-node';

/** Preloaded into each Node process of such a run: it writes `<reportPrefix> <version> <script>`. */
export const reportNodeVersionModule = join(rehearsalRoot, 'src/report-node-version.mjs');

/**
 * The environment that runs a smoke script and everything it starts on the Node binary `node`:
 * that binary's folder first on PATH (for `npx`, `npm` and bins' `#!/usr/bin/env node`) and a
 * preload, through NODE_OPTIONS, that makes every Node process report its version on stderr.
 */
export function environmentOnNode(node: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return {
    ...env,
    PATH: `${dirname(node)}${delimiter}${env.PATH ?? ''}`,
    NODE_OPTIONS: `--import=${pathToFileURL(reportNodeVersionModule).href}`,
  };
}

/** The versions the Node processes of such a run reported, in the order they started. */
export function reportedNodeVersions(stderr: string): string[] {
  return [...stderr.matchAll(new RegExp(`^${reportPrefix} (v\\S+)`, 'gm'))].map((m) => m[1]!);
}
