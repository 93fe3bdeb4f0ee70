import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from './workspace.ts';

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
