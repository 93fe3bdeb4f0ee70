#!/usr/bin/env node
// The tests of @genmeta/redis, node-middleware (several instances), the example (two instances)
// and the release rehearsal start their own redis-server (a free port, a scratch folder). Install
// Debian's when it is missing and we may (root on Debian); otherwise say how, and let the tests
// report what they could not start.
import { execSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';

const executable = process.env.REDIS_SERVER_PATH ?? '/usr/bin/redis-server';
if (existsSync(executable)) process.exit(0);
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot || !existsSync('/usr/bin/apt-get')) {
  console.warn(
    `redis-server not found at ${executable}: install it (apt-get install redis-server) or set REDIS_SERVER_PATH`,
  );
  process.exit(0);
}
console.log('Installing redis-server for the tests (apt-get)...');
const quiet = {
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
};
// The package would start a system-wide Redis on 6379; the tests never use one, so forbid it
// (policy-rc.d exit 101: "action not allowed") for the install only.
const policy = '/usr/sbin/policy-rc.d';
const ownPolicy = !existsSync(policy);
if (ownPolicy) writeFileSync(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
const install = 'apt-get install -y -qq --no-install-recommends redis-server';
try {
  try {
    execSync(install, quiet);
  } catch {
    // An empty or stale package list: refresh it once, then install.
    execSync('apt-get update -qq', quiet);
    execSync(install, quiet);
  }
} finally {
  if (ownPolicy) rmSync(policy, { force: true });
}
console.log('redis-server installed.');
