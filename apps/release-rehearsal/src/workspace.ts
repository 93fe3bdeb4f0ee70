import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The monorepo's root folder. */
export const workspaceRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** This rehearsal package's folder. */
export const rehearsalRoot = resolve(workspaceRoot, 'apps/release-rehearsal');

/** Where each published package's smoke script lives: `smoke/<package folder>.mjs`. */
export const smokeFolder = join(rehearsalRoot, 'smoke');

export interface PackageManifest {
  name: string;
  version: string;
  private?: boolean;
  [field: string]: unknown;
}

export interface PublishablePackage {
  /** The folder name under packages/, e.g. `core`. */
  folder: string;
  /** The folder's absolute path. */
  path: string;
  manifest: PackageManifest;
}

/**
 * Every package that a release publishes: each non-private package.json under packages/*, read
 * from the workspace, so a package added later is rehearsed (or reported) without a list to edit.
 */
export function publishablePackages(): PublishablePackage[] {
  const packagesDir = join(workspaceRoot, 'packages');
  const found: PublishablePackage[] = [];
  for (const entry of readdirSync(packagesDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const path = join(packagesDir, entry.name);
    let text: string;
    try {
      text = readFileSync(join(path, 'package.json'), 'utf8');
    } catch {
      continue; // a folder without a package.json is no package
    }
    const manifest = JSON.parse(text) as PackageManifest;
    if (manifest.private === true) continue;
    found.push({ folder: entry.name, path, manifest });
  }
  return found.sort((a, b) => a.folder.localeCompare(b.folder));
}

export function readManifest(path: string): PackageManifest {
  return JSON.parse(readFileSync(join(path, 'package.json'), 'utf8')) as PackageManifest;
}

/**
 * The install command the root README gives for each package (`npm i @genmeta/core`,
 * `npm i -g @genmeta/cli`, `npm i -D @genmeta/fake-openrouter`), as npm arguments by package name:
 * the rehearsal runs exactly these, so the README cannot drift from what works.
 */
export function readmeInstallCommands(): Map<string, string[]> {
  const readme = readFileSync(join(workspaceRoot, 'README.md'), 'utf8');
  const commands = new Map<string, string[]>();
  for (const match of readme.matchAll(/`npm (?:i|install)((?: -[gD])*) (@genmeta\/[a-z0-9-]+)`/g)) {
    const flags = (match[1] ?? '').trim().split(/\s+/).filter(Boolean);
    commands.set(match[2]!, ['install', ...flags, match[2]!]);
  }
  return commands;
}
