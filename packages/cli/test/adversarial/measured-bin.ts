import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type SpawnOptions, type SpawnResult, spawnBin } from '../spawn-bin.js';

const preload = fileURLToPath(new URL('./peak-rss.cjs', import.meta.url));
let runs = 0;

/** A run of the bin and its peak resident memory (the child's own, reported as it exits). */
export interface MeasuredResult extends SpawnResult {
  peakRssBytes: number;
}

export const megabytes = 1024 * 1024;

/** Spawns the built bin like {@link spawnBin}, with its peak RSS measured inside the child. */
export async function spawnMeasured(
  args: string[],
  options: SpawnOptions = {},
): Promise<MeasuredResult> {
  runs += 1;
  const rssFile = join(tmpdir(), `genmeta-peak-rss-${process.pid}-${runs}`);
  try {
    const result = await spawnBin(args, {
      ...options,
      env: { ...options.env, GENMETA_TEST_PEAK_RSS_FILE: rssFile },
      nodeArguments: ['--require', preload, ...(options.nodeArguments ?? [])],
    });
    const peakRssBytes = Number(await readFile(rssFile, 'utf8'));
    return { ...result, peakRssBytes };
  } finally {
    await rm(rssFile, { force: true });
  }
}
