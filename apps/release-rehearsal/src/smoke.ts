import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { smokeFolder } from './workspace.ts';

/** One install of a package into an empty app folder, then its smoke script run there. */
export interface SmokeVariant {
  /** e.g. `node-middleware` or `node-middleware+express@^4.21.0`: names the temp folder and the test. */
  label: string;
  /** The app's own dependencies (`name@range`), in its package.json before the install command. */
  appDependencies: string[];
}

export function smokeScriptPath(folder: string): string {
  return join(smokeFolder, `${folder}.mjs`);
}

export function hasSmokeScript(folder: string): boolean {
  return existsSync(smokeScriptPath(folder));
}

/**
 * The variants a smoke script asks for: each `// app-dependencies: a@^1 b@^2` line is one app
 * folder with those dependencies (an empty list is allowed); no such line means one bare app.
 */
export function smokeVariants(folder: string): SmokeVariant[] {
  const source = readFileSync(smokeScriptPath(folder), 'utf8');
  const lists = [...source.matchAll(/^\/\/ app-dependencies:(.*)$/gm)].map((match) =>
    (match[1] ?? '').trim().split(/\s+/).filter(Boolean),
  );
  if (lists.length === 0) lists.push([]);
  return lists.map((appDependencies) => ({
    label: [folder, ...appDependencies].join('+'),
    appDependencies,
  }));
}

/** `express@^4.21.0` → [`express`, `^4.21.0`]; scoped names keep their leading `@`. */
export function splitSpec(spec: string): [string, string] {
  const at = spec.lastIndexOf('@');
  if (at <= 0) return [spec, 'latest'];
  return [spec.slice(0, at), spec.slice(at + 1)];
}
