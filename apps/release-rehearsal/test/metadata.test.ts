// What a registry page and an installing user need from every published package.json, and what
// the rehearsal needs to cover each package: one place for both, read from the workspace.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { missingBuildDependency, missingInstallLine, missingSmokeScript } from '../src/messages.ts';
import { hasSmokeScript } from '../src/smoke.ts';
import {
  publishablePackages,
  readManifest,
  readmeInstallCommands,
  rehearsalRoot,
  workspaceRoot,
} from '../src/workspace.ts';

const packages = publishablePackages();
const rows = packages.map((pkg) => [pkg.manifest.name, pkg] as const);
const repositoryUrl = 'git+https://github.com/genmeta/genmeta.git';

/** The default catalog of pnpm-workspace.yaml, as `name → specifier` (flat `key: value` lines). */
function catalog(): Map<string, string> {
  const yaml = readFileSync(join(workspaceRoot, 'pnpm-workspace.yaml'), 'utf8');
  const block = /^catalog:\n((?:[ ]+.*\n?)*)/m.exec(yaml)?.[1] ?? '';
  const entries = new Map<string, string>();
  for (const line of block.split('\n')) {
    const match = /^\s+"?([^"#:\s]+)"?:\s*(\S+)/.exec(line);
    if (match) entries.set(match[1]!, match[2]!);
  }
  return entries;
}

describe('published packages', () => {
  it('are discovered under packages/*', () => {
    expect(packages.map((pkg) => pkg.manifest.name)).toContain('@genmeta/core');
  });

  it.each(rows)('%s has the metadata a registry page needs', (_name, pkg) => {
    const m = pkg.manifest as Record<string, unknown> & typeof pkg.manifest;
    expect(m.name).toMatch(/^@genmeta\/[a-z0-9-]+$/);
    expect(m.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(typeof m.description === 'string' && m.description.length > 20, 'description').toBe(
      true,
    );
    expect(m.license).toBe('MIT');
    expect(existsSync(join(pkg.path, 'LICENSE')), 'a LICENSE file').toBe(true);
    expect(existsSync(join(pkg.path, 'README.md')), 'a README.md').toBe(true);
    expect(m.repository).toEqual({
      type: 'git',
      url: repositoryUrl,
      directory: `packages/${pkg.folder}`,
    });
    expect(m.homepage).toBe(
      `https://github.com/genmeta/genmeta/tree/main/packages/${pkg.folder}#readme`,
    );
    expect(m.bugs).toEqual({ url: 'https://github.com/genmeta/genmeta/issues' });
    expect(Array.isArray(m.keywords) && m.keywords.includes('openrouter'), 'keywords').toBe(true);
    expect(m.engines).toEqual({ node: '>=22' });
    expect(m.type).toBe('module');
    expect(m.sideEffects).toBe(false);
    expect(m.files).toEqual(expect.arrayContaining(['dist', 'README.md', 'LICENSE']));
    expect(m.publishConfig).toMatchObject({ access: 'public' });
  });

  it.each(rows)('%s exports types first', (_name, pkg) => {
    const exportsMap = pkg.manifest.exports as Record<string, unknown> | undefined;
    expect(exportsMap, 'an exports map').toBeTypeOf('object');
    for (const [subpath, target] of Object.entries(exportsMap ?? {})) {
      if (typeof target === 'string') continue; // e.g. ./package.json
      expect(Object.keys(target as object)[0], `exports["${subpath}"]`).toBe('types');
    }
  });

  it.each(rows)('%s publishes caret ranges for its runtime dependencies', (_name, pkg) => {
    const pins = catalog();
    const names = new Set(packages.map((p) => p.manifest.name));
    for (const field of ['dependencies', 'optionalDependencies'] as const) {
      const dependencies = (pkg.manifest[field] ?? {}) as Record<string, string>;
      for (const [dependency, specifier] of Object.entries(dependencies)) {
        const label = `${field}.${dependency}`;
        if (names.has(dependency)) {
          expect(specifier, label).toBe('workspace:^');
        } else if (specifier === 'catalog:') {
          expect(pins.get(dependency), `the catalog entry for ${label}`).toMatch(/^\^\d/);
        } else {
          expect(specifier, label).toMatch(/^\^\d/);
        }
      }
    }
    for (const [dependency, range] of Object.entries(
      (pkg.manifest.peerDependencies ?? {}) as Record<string, string>,
    )) {
      expect(range, `peerDependencies.${dependency}`).not.toMatch(/^(workspace|catalog):|^\d/);
    }
  });

  it.each(rows)('%s is covered by the release rehearsal', (_name, pkg) => {
    const rehearsal = readManifest(rehearsalRoot);
    const devDependencies = (rehearsal.devDependencies ?? {}) as Record<string, string>;
    const name = pkg.manifest.name;
    const problems = [
      devDependencies[name] === 'workspace:*' ? undefined : missingBuildDependency(name),
      hasSmokeScript(pkg.folder) ? undefined : missingSmokeScript(pkg.folder, name),
      readmeInstallCommands().has(name) ? undefined : missingInstallLine(name),
    ].filter(Boolean);
    expect(problems).toEqual([]);
  });
});
