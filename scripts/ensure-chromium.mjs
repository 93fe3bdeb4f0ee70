#!/usr/bin/env node
// The example's end-to-end test drives Debian's chromium. Install it when it is missing and we
// may (root on Debian); otherwise say how, and let the test report what it could not run.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const executable = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (existsSync(executable)) process.exit(0);
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot || !existsSync('/usr/bin/apt-get')) {
  console.warn(
    `chromium not found at ${executable}: install it (apt-get install chromium) or set CHROMIUM_PATH`,
  );
  process.exit(0);
}
console.log('Installing chromium for the end-to-end test (apt-get, about a minute)...');
const quiet = {
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
};
execSync('apt-get update -qq', quiet);
execSync('apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core', quiet);
console.log('chromium installed.');
