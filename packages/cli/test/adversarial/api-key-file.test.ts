// --api-key-file on what is not a small regular file (issue 19, item 13): /dev/zero, a FIFO
// nobody writes to, a 300 MB file. Each is refused from its type or size, without reading it,
// at once, and the process stays small.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { maxKeyFileBytes } from '../../src/shared/api-key.js';
import { useCliTestbed } from '../testbed.js';
import { megabytes, spawnMeasured } from './measured-bin.js';

const testbed = useCliTestbed('genmeta-key-file-');
/** Far below the 600-700 MB a full read of these files took, far above a bare run (~60 MB). */
const rssBound = 200 * megabytes;

function getWithKeyFile(path: string) {
  return spawnMeasured(['get', '--json', '--api-key-file', path, 'gen-1'], {
    env: { OPENROUTER_BASE_URL: testbed.fake.url },
  });
}

describe('--api-key-file reads at most a few kB of a regular file (item 13)', () => {
  it.skipIf(!existsSync('/dev/zero'))('refuses /dev/zero as not a regular file', async () => {
    const result = await getWithKeyFile('/dev/zero');
    expect(result.code).toBe(3);
    expect(result.stderr).toBe(
      'genmeta: cannot read --api-key-file /dev/zero: it is not a regular file (a device, a FIFO or a socket cannot hold a key)\n',
    );
    expect(result.peakRssBytes).toBeLessThan(rssBound);
    expect(testbed.fake.calls).toHaveLength(0);
  });

  it.skipIf(process.platform === 'win32')(
    'refuses a FIFO nobody writes to, without waiting for a writer',
    async () => {
      const fifo = join(testbed.directory, 'key.fifo');
      expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
      // Without a non-blocking open this run would never end (the test's timeout would fail it).
      const result = await getWithKeyFile(fifo);
      expect(result.code).toBe(3);
      expect(result.stderr).toContain('it is not a regular file');
      expect(result.peakRssBytes).toBeLessThan(rssBound);
      expect(testbed.fake.calls).toHaveLength(0);
    },
  );

  it('refuses a 300 MB file unread, and one a byte over the bound', async () => {
    const huge = join(testbed.directory, 'huge-key');
    await writeFile(huge, 'sk-or-v1-0000\n');
    await truncate(huge, 300 * megabytes); // sparse: no disk used, 300 MB to read
    const result = await getWithKeyFile(huge);
    expect(result.code).toBe(3);
    expect(result.stderr).toBe(
      `genmeta: cannot read --api-key-file ${huge}: it is larger than ${maxKeyFileBytes} bytes (the file must hold only the key)\n`,
    );
    expect(result.peakRssBytes).toBeLessThan(rssBound);

    const justOver = join(testbed.directory, 'just-over');
    await writeFile(justOver, `${testbed.fake.apiKey}\n${' '.repeat(maxKeyFileBytes)}`);
    expect((await getWithKeyFile(justOver)).stderr).toContain('it is larger than 4096 bytes');
    expect(testbed.fake.calls).toHaveLength(0);
  });

  it('a key file of the right size still works, with surrounding whitespace', async () => {
    const { id } = testbed.fake.addGeneration();
    const file = join(testbed.directory, 'good-key');
    await writeFile(file, `\n  ${testbed.fake.apiKey}  \n`);
    const result = await spawnMeasured(['get', '--json', '--api-key-file', file, id], {
      env: { OPENROUTER_BASE_URL: testbed.fake.url },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).id).toBe(id);
  });
});
