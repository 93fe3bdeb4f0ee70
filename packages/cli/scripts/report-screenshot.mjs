// Renders `genmeta report --html` for a synthetic week of records in Chromium and saves the
// screenshot the README shows: packages/cli/report-screenshot.png.
// Usage: node scripts/report-screenshot.mjs   (after `pnpm build`; needs /usr/bin/chromium)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { screenshot } from '@genmeta/fixture-chromium';
import { writeSyntheticLog } from '../bench/synthetic-records.mjs';

const packageJson = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
const bin = fileURLToPath(new URL(`../${packageJson.bin.genmeta}`, import.meta.url));
const output = fileURLToPath(new URL('../report-screenshot.png', import.meta.url));
if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`pnpm build\` first`);

const directory = await mkdtemp(join(tmpdir(), 'genmeta-report-screenshot-'));
try {
  const log = join(directory, 'app.log');
  const html = join(directory, 'report.html');
  await writeSyntheticLog(log, { count: 5000, days: 7, seed: 7 });
  const result = spawnSync(
    process.execPath,
    [bin, 'report', '--by', 'model,route,attribute:plan', '--top', '5', '--html', html, log],
    { encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`genmeta report failed: ${result.stderr}`);
  await screenshot(pathToFileURL(html).href, output, { viewport: { width: 880, height: 1000 } });
  console.log(`wrote ${output}`);
} finally {
  await rm(directory, { recursive: true, force: true });
}
