#!/usr/bin/env node
// Checks the package in the current directory the way npm users will get it: packs the exact
// tarball, then runs publint and arethetypeswrong (ESM-only profile) on it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const destination = mkdtempSync(join(tmpdir(), 'genmeta-pack-'));
const run = (command, args) => execFileSync(command, args, { stdio: 'inherit' });
try {
  run('pnpm', ['pack', '--pack-destination', destination]);
  const tarball = readdirSync(destination).find((name) => name.endsWith('.tgz'));
  if (!tarball) throw new Error('pnpm pack wrote no tarball');
  const path = join(destination, tarball);
  run('publint', ['run', path, '--strict']);
  run('attw', [path, '--profile', 'esm-only']);
} finally {
  rmSync(destination, { recursive: true, force: true });
}
