// The suite runs on the Node the project installs (the root devDependency `node`), not on the
// machine's: `pnpm test` puts node_modules/.bin first on PATH for turbo and every task it starts.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { testNodeVersion } from '../src/node-lines.ts';

const pinned = `v${testNodeVersion()}`;
const childVersion = (command: string) =>
  execFileSync(command, ['-p', 'process.version'], { encoding: 'utf8' }).trim();

describe('the Node the tests run on', () => {
  it('is the pinned one inside a vitest worker', () => {
    console.log(`vitest worker: node ${process.version} (${process.execPath})`);
    expect(process.version).toBe(pinned);
  });

  it('is the pinned one in a child spawned with process.execPath', () => {
    const version = childVersion(process.execPath);
    console.log(`child via process.execPath: node ${version}`);
    expect(version).toBe(pinned);
  });

  it('is the pinned one in a child spawned as `node` from PATH', () => {
    const version = childVersion('node');
    console.log(`child via PATH: node ${version}`);
    expect(version).toBe(pinned);
  });
});
