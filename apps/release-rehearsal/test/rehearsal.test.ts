// The release rehearsal: publish every package to a local Verdaccio with the project's release
// command, then install each one alone into an empty app folder with npm, as the README says,
// and run its smoke script there against the published fake's bin.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { nodeBinary, nodeLines } from '@genmeta/fixture-node-lines';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type EnvironmentFake,
  fakePackageName,
  startEnvironmentFake,
} from '../src/environment-fake.ts';
import { missingInstallLine, missingSmokeScript } from '../src/messages.ts';
import { environmentOnNode, reportedNodeVersions } from '../src/node-lines.ts';
import { type LocalRegistry, startLocalRegistry } from '../src/registry.ts';
import { runOk } from '../src/run.ts';
import {
  hasSmokeScript,
  type SmokeVariant,
  smokeScriptPath,
  smokeVariants,
  splitSpec,
} from '../src/smoke.ts';
import {
  type PackageManifest,
  type PublishablePackage,
  publishablePackages,
  readmeInstallCommands,
  workspaceRoot,
} from '../src/workspace.ts';

const packages = publishablePackages();
const installCommands = readmeInstallCommands();
const startedAt = performance.now();
const timings: string[] = [];
// Printed together at the end: concurrent tests' own console lines would interleave.
const smokeOutputs: string[] = [];
const timed = async <T>(label: string, work: () => Promise<T>): Promise<T> => {
  const start = performance.now();
  try {
    return await work();
  } finally {
    timings.push(`${label}: ${((performance.now() - start) / 1000).toFixed(1)} s`);
  }
};

let root: string;
let registry: LocalRegistry | undefined;
let fake: EnvironmentFake | undefined;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'genmeta-rehearsal-'));
  registry = await timed('start Verdaccio', () => startLocalRegistry(root));
  const npmEnv = registry.env;
  // The publishing step of `pnpm release` (its build is this task's turbo dependency); no git
  // tags: a rehearsal leaves the repository as it was.
  await timed('changeset publish', () =>
    runOk('pnpm', ['exec', 'changeset', 'publish', '--no-git-tag'], {
      cwd: workspaceRoot,
      env: npmEnv,
    }).catch((error: Error) => {
      throw new Error(`${error.message}\n--- Verdaccio\n${registry?.log().slice(-4000)}`);
    }),
  );
  const fakeInstall = installCommands.get(fakePackageName);
  if (!fakeInstall) throw new Error(missingInstallLine(fakePackageName));
  fake = await timed('start the published fake', () =>
    startEnvironmentFake(join(root, 'environment'), fakeInstall, npmEnv),
  );
}, 240_000);

afterAll(async () => {
  await fake?.stop();
  await registry?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
  timings.push(`whole rehearsal: ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
  const report = `smoke scripts\n  ${smokeOutputs.join('\n  ')}\ntimings\n  ${timings.join('\n  ')}\n`;
  console.log(report);
  mkdirSync('test-results', { recursive: true });
  writeFileSync('test-results/rehearsal.txt', report);
}, 30_000);

async function publishedManifest(name: string, version: string): Promise<PackageManifest> {
  const response = await fetch(new URL(name.replace('/', '%2f'), registry!.url));
  expect(response.status, `${name} on the local registry`).toBe(200);
  const packument = (await response.json()) as { versions: Record<string, PackageManifest> };
  const manifest = packument.versions[version];
  if (!manifest) throw new Error(`${name}@${version} was not published`);
  return manifest;
}

describe('release rehearsal', () => {
  it.each(packages.map((pkg) => [pkg.manifest.name, pkg] as const))(
    '%s is published with caret ranges of real versions',
    async (_name, pkg) => {
      const manifest = await publishedManifest(pkg.manifest.name, pkg.manifest.version);
      const versions = new Map(packages.map((p) => [p.manifest.name, p.manifest.version]));
      for (const field of ['dependencies', 'optionalDependencies'] as const) {
        for (const [dependency, range] of Object.entries(
          (manifest[field] ?? {}) as Record<string, string>,
        )) {
          expect(range, `${field}.${dependency}`).toMatch(/^\^\d+\.\d+\.\d+$/);
          const internal = versions.get(dependency);
          if (internal) expect(range, `${field}.${dependency}`).toBe(`^${internal}`);
        }
      }
      for (const [dependency, range] of Object.entries(
        (manifest.peerDependencies ?? {}) as Record<string, string>,
      )) {
        expect(range, `peerDependencies.${dependency}`).not.toMatch(/workspace:|catalog:/);
      }
    },
  );

  // A published package without a smoke script still gets its row, which fails and says why.
  type Row = { pkg: PublishablePackage; variant: SmokeVariant | undefined };
  const variants = packages.flatMap((pkg): Row[] =>
    hasSmokeScript(pkg.folder)
      ? smokeVariants(pkg.folder).map((variant) => ({ pkg, variant }))
      : [{ pkg, variant: undefined }],
  );

  // Each row's installed app, for its smoke runs on the other Node lines (which wait for it).
  const rowLabel = (row: Row) => row.variant?.label ?? row.pkg.folder;
  const installedApps = new Map(variants.map((row) => [rowLabel(row), deferred<InstalledApp>()]));

  describe.concurrent('each package installed alone', () => {
    // Declared first: the install tests start before the tests that wait for them.
    it.each(variants.map((entry) => [rowLabel(entry), entry] as const))(
      '%s: npm install from the README, then its smoke script',
      async (label, row) => {
        const installed = installedApps.get(label)!;
        try {
          installed.resolve(await installAndSmoke(label, row));
        } catch (error) {
          installed.reject(error as Error);
          throw error;
        }
      },
    );

    it.each(variants.flatMap((entry) => nodeLines.map((line) => [rowLabel(entry), line] as const)))(
      '%s: its smoke script on Node %s',
      async (label, line) => {
        const { app, env } = await installedApps.get(label)!.promise.catch((error: Error) => {
          throw new Error(
            `not installed (see the test "${label}: npm install ..."): ${error.message}`,
          );
        });
        const node = nodeBinary(line);
        const result = await timed(`smoke ${label} on Node ${line}`, () =>
          runOk(node, ['smoke.mjs'], {
            cwd: app,
            env: environmentOnNode(node, env),
            killAfterMs: 60_000,
          }),
        );
        // The smoke script and every Node it started (npx, bins, npm) ran on that line.
        const versions = reportedNodeVersions(result.stderr);
        expect(versions.length, `Node processes that reported on Node ${line}`).toBeGreaterThan(0);
        for (const version of versions) expect(version).toMatch(new RegExp(`^v${line}\\.`));
        smokeOutputs.push(
          `${label} on Node ${versions[0]} (${versions.length} Node process${versions.length === 1 ? '' : 'es'}): ${result.stdout.trim()}`,
        );
      },
    );
  });

  async function installAndSmoke(label: string, { pkg, variant }: Row): Promise<InstalledApp> {
    if (!variant) throw new Error(missingSmokeScript(pkg.folder, pkg.manifest.name));
    const installArgs = installCommands.get(pkg.manifest.name);
    if (!installArgs) throw new Error(missingInstallLine(pkg.manifest.name));

    const app = join(root, 'apps', label.replace(/[^a-zA-Z0-9.+-]/g, '_'));
    mkdirSync(app, { recursive: true });
    const dependencies = Object.fromEntries(variant.appDependencies.map(splitSpec));
    writeFileSync(
      join(app, 'package.json'),
      `${JSON.stringify({ name: 'rehearsal-app', version: '1.0.0', private: true, type: 'module', dependencies }, null, 2)}\n`,
    );
    const global = installArgs.includes('-g');
    const prefix = join(app, 'global');
    const npmEnv = registry!.env;
    await timed(`install ${label}`, () =>
      runOk('npm', global ? [...installArgs, '--prefix', prefix] : installArgs, {
        cwd: app,
        env: npmEnv,
      }),
    );
    const installed = global
      ? join(prefix, 'lib/node_modules', pkg.manifest.name)
      : join(app, 'node_modules', pkg.manifest.name);
    expect(existsSync(join(installed, 'package.json')), `${installed} exists`).toBe(true);

    copyFileSync(smokeScriptPath(pkg.folder), join(app, 'smoke.mjs'));
    const env: NodeJS.ProcessEnv = {
      ...npmEnv,
      ...fake!.env,
      GENMETA_PACKAGE_VERSION: pkg.manifest.version,
      PATH: global ? `${join(prefix, 'bin')}${delimiter}${npmEnv.PATH}` : npmEnv.PATH,
    };
    const result = await timed(`smoke ${label}`, () =>
      runOk(process.execPath, ['smoke.mjs'], { cwd: app, env, killAfterMs: 60_000 }),
    );
    smokeOutputs.push(`${label} on Node ${process.version}: ${result.stdout.trim()}`);
    return { app, env };
  }
});

/** An app folder with its package installed and smoke.mjs copied, and the smoke's environment. */
interface InstalledApp {
  app: string;
  env: NodeJS.ProcessEnv;
}

/** A promise settled from outside; a rejection nobody awaited yet is not an unhandled one. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => {});
  return { promise, resolve, reject };
}
