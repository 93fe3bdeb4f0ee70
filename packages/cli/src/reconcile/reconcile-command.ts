import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createClient, isGenmetaError } from '@genmeta/core';
import { MissingKeyError } from '../internal/api-key.js';
import { type CommandOptions, printable, UsageError } from '../internal/arguments.js';
import type { CommandIo } from '../internal/execute.js';
import { exitCodeForError } from '../internal/exit-code-of.js';
import { exitCodes } from '../internal/exit-codes.js';
import { createScrubber, redacting } from '../internal/secret-scrubber.js';
import { oneLine } from '../internal/terminal-text.js';
import { checkRecordFiles } from '../report/check-files.js';
import { countOf, formatReasons } from '../report/labels.js';
import { activityDays, completedDays } from './activity.js';
import { createRateLimiter, providersOf, readBilled } from './billed.js';
import { reconcile } from './compare.js';
import { resolveReconcileKey } from './key.js';
import { readRecorded } from './recorded.js';
import { renderReconcileCsv } from './render-csv.js';
import { renderReconcileHtml } from './render-html.js';
import { renderReconcileText } from './render-text.js';

/**
 * Runs `genmeta reconcile`: the records of a window against what OpenRouter billed per
 * generation; resolves to 0 (reconciled), 8 (not reconciled) or the code of what failed.
 * A failure never prints a partial verdict as if it were complete.
 */
export async function executeReconcile(options: CommandOptions, io: CommandIo): Promise<number> {
  const settings = options.reconcile;
  if (settings === undefined) throw new UsageError('which window?', 'reconcile');
  let sources = options.sources;
  if (sources.length === 0) {
    if (io.stdin === undefined || io.stdin.isTTY === true) {
      throw new UsageError(
        'no records to read: give files of cost records, or "-" to read them from stdin',
        'reconcile',
      );
    }
    sources = ['-'];
  }
  await checkRecordFiles(sources, io.cwd, 'reconcile');
  let key: string;
  try {
    key = await resolveReconcileKey(options.apiKeyFile, io.env, io.cwd);
  } catch (error) {
    if (!(error instanceof MissingKeyError)) throw error;
    io.stderr.write(`genmeta: ${error.message}\n`);
    return exitCodes.auth;
  }
  const scrubber = createScrubber(key);
  const stdout = redacting(io.stdout, scrubber.whole);
  const stderr = redacting(io.stderr, scrubber.pieces);
  const window = { fromMs: settings.fromMs, toMs: settings.toMs };

  const recorded = await readRecorded(
    sources,
    { stdin: io.stdin, resolvePath: (path) => resolve(io.cwd, path) },
    window,
    io.signal,
  );
  if (recorded.skipped.count > 0) {
    stderr.write(
      `genmeta: skipped ${countOf(recorded.skipped.count, 'line')} that ${recorded.skipped.count === 1 ? 'is' : 'are'} not cost records (${formatReasons(recorded.skipped.reasons)})\n`,
    );
  }
  if (recorded.records === 0) stderr.write('genmeta: no cost records in the input\n');

  const client = createClient({
    apiKey: key,
    ...(options.baseUrl !== undefined && { baseUrl: options.baseUrl }),
    cache: false,
    maxRetries: 6,
    deadlineMs: 180_000,
  });
  try {
    const throttle = createRateLimiter();
    const billed = await readBilled(client, window, { signal: io.signal, throttle });
    const activity = await activityDays(
      client,
      billed,
      completedDays(window.fromMs, window.toMs, Date.now()),
      io.signal,
    );
    const untrackedIds = [...billed.generations.keys()].filter(
      (id) => !recorded.generations.has(id),
    );
    if (untrackedIds.length > 0) billed.queries += 1;
    const providers = await providersOf(client, untrackedIds, window, {
      signal: io.signal,
      throttle,
    });
    const result = reconcile(
      recorded,
      billed,
      { ...window, toleranceUsd: settings.toleranceUsd },
      (id) => ({
        model: billed.generations.get(id)?.model ?? null,
        provider: providers.get(id) ?? null,
      }),
    );
    stderr.write(
      `genmeta: ${billed.queries} analytics ${billed.queries === 1 ? 'query' : 'queries'}${billed.splits > 0 ? `, ${countOf(billed.splits, 'window split')}` : ''}\n`,
    );
    if (settings.htmlFile !== undefined) {
      try {
        await writeFile(
          resolve(io.cwd, settings.htmlFile),
          scrubber.whole(renderReconcileHtml(result, activity, new Date())),
        );
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? 'failed';
        throw new UsageError(
          `cannot write the HTML page to "${printable(settings.htmlFile, 200)}": ${code}`,
          'reconcile',
        );
      }
      stderr.write(`genmeta: wrote the HTML page to ${printable(settings.htmlFile, 200)}\n`);
    }
    if (options.format === 'json')
      stdout.write(`${JSON.stringify(result, null, io.stdout.isTTY === true ? 2 : undefined)}\n`);
    else if (options.format === 'csv') stdout.write(renderReconcileCsv(result));
    else stdout.write(renderReconcileText(result, activity));
    return result.reconciled ? exitCodes.ok : exitCodes.notReconciled;
  } catch (error) {
    if (io.signal?.aborted) {
      stderr.write('genmeta: interrupted\n');
      return exitCodes.interrupted;
    }
    if (isGenmetaError(error)) {
      stderr.write(`genmeta: cannot reconcile: ${oneLine(scrubber.pieces(error.message))}\n`);
      return exitCodeForError(error.code);
    }
    if (error instanceof UsageError)
      throw new UsageError(scrubber.pieces(error.message), error.topic);
    throw error;
  }
}
