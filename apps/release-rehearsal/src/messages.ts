// What to add when a package is published but the rehearsal cannot cover it yet: one wording,
// used by the metadata test (fast, no registry) and by the rehearsal itself.

export function missingSmokeScript(folder: string, name: string): string {
  return (
    `packages/${folder} (${name}) is published but has no smoke script: add ` +
    `apps/release-rehearsal/smoke/${folder}.mjs, which uses the installed package as a user ` +
    'would and exits non-zero on failure (see apps/release-rehearsal/README.md)'
  );
}

export function missingInstallLine(name: string): string {
  return (
    `the root README.md has no install line for ${name}: add \`npm i ${name}\` (or \`npm i -g\` / ` +
    '`npm i -D`) to its Packages table; the rehearsal runs exactly that command'
  );
}

export function missingBuildDependency(name: string): string {
  return (
    `apps/release-rehearsal/package.json does not list ${name} in devDependencies: add ` +
    `"${name}": "workspace:*" so turbo builds it before the rehearsal publishes it`
  );
}
