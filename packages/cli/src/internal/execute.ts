import { setMaxListeners } from 'node:events';
import {
  createClient,
  type Generation,
  type GenerationResult,
  type GenmetaError,
  generationSchema,
  isGenerationId,
  isGenmetaError,
  summarize,
} from '@genmeta/core';
import type { RunInput, RunOutput } from '../run';
import { MissingKeyError, resolveApiKey } from './api-key';
import { type CommandOptions, printable, UsageError } from './arguments';
import { exitCodeForBatch, exitCodeForError, exitCodes } from './exit-codes';
import { defaultCsvFields, spendField } from './fields';
import {
  countByCode,
  csvRow,
  fieldValue,
  pickFields,
  renderCard,
  renderCostReport,
  renderTable,
  type Unresolved,
} from './format';
import { createProgress } from './progress';
import { gatherIds, type IdSource } from './read-ids';
import { createStyle, shouldColor } from './style';

/** What a command may touch. */
export interface CommandIo {
  env: Readonly<Record<string, string | undefined>>;
  stdin: RunInput | undefined;
  stdout: RunOutput;
  stderr: RunOutput;
  signal: AbortSignal | undefined;
  cwd: string;
}

/** Replaces every occurrence of the key in what is written, whatever wrote it. */
function redacting(output: RunOutput, key: string): RunOutput {
  return {
    isTTY: output.isTTY,
    columns: output.columns,
    write: (chunk: string) =>
      output.write(chunk.includes(key) ? chunk.replaceAll(key, '[redacted]') : chunk),
  };
}

function oneLine(text: string): string {
  return printable(text.replace(/\s+/g, ' ').trim(), 300);
}

function checkIds(sources: readonly IdSource[]): void {
  const bad = sources.filter((source) => !isGenerationId(source.id));
  const key = sources.find((source) => /sk-or-/i.test(source.id));
  if (key) {
    throw new UsageError(
      `${key.origin} looks like an API key, not a generation id; refusing to send it in a URL`,
    );
  }
  if (bad.length === 0) return;
  const shown = bad
    .slice(0, 5)
    .map((source) => `  ${source.origin}: "${printable(source.id, 40)}"`)
    .join('\n');
  const more = bad.length > 5 ? `\n  ... and ${bad.length - 5} more` : '';
  throw new UsageError(
    `not a generation id (ids have no spaces, control characters or / ? # &, at most 256 characters):\n${shown}${more}`,
  );
}

const authCodes = new Set(['unauthorized', 'insufficient_credits', 'forbidden']);

class StopBatch extends Error {
  constructor(readonly error: GenmetaError) {
    super(error.message);
  }
}

/** Runs `get` or `cost` once argv is understood; resolves to the exit code. */
export async function executeCommand(options: CommandOptions, io: CommandIo): Promise<number> {
  let key: string;
  try {
    key = await resolveApiKey(options.apiKeyFile, io.env, io.cwd);
  } catch (error) {
    if (error instanceof MissingKeyError) {
      io.stderr.write(`genmeta: ${error.message}\n`);
      return exitCodes.auth;
    }
    throw error;
  }
  const stdout = redacting(io.stdout, key);
  const stderr = redacting(io.stderr, key);
  const errorStyle = createStyle(shouldColor(io.stderr, io.env, options.color));
  const style = createStyle(shouldColor(io.stdout, io.env, options.color));

  const gathered = await gatherIds(options.sources, io.stdin, io.signal);
  if (gathered.ids.length === 0) {
    if (!gathered.readStdin) {
      throw new UsageError(
        'no generation ids: give them as arguments, or "-" to read them from stdin',
        options.command,
      );
    }
    if (options.command === 'get') {
      stderr.write('genmeta: no generation ids on stdin\n');
      return exitCodes.ok;
    }
  }
  checkIds(gathered.sources);

  const stop = new AbortController();
  const signal = io.signal ? AbortSignal.any([io.signal, stop.signal]) : stop.signal;
  // Each lookup in flight listens to the signal: that is expected, not a leak.
  setMaxListeners(options.concurrency * 4 + 16, signal);
  const client = createClient({
    apiKey: key,
    ...(options.baseUrl !== undefined && { baseUrl: options.baseUrl }),
    deadlineMs: options.deadlineMs,
    cache: false,
  });
  const progress = createProgress(io.stderr, gathered.ids.length);
  let results: GenerationResult[];
  try {
    results =
      gathered.ids.length === 0
        ? []
        : await client.getGenerations(gathered.ids, {
            concurrency: options.concurrency,
            signal,
            wait: options.wait,
            deadlineMs: options.deadlineMs,
            onWaiting: (info) => progress.waiting(info.id),
            onResult: (result) => {
              progress.done(result.id);
              // A refused key or empty account fails every other id the same way: stop early.
              if (!result.ok && authCodes.has(result.error.code) && !stop.signal.aborted) {
                stop.abort(new StopBatch(result.error));
              }
            },
          });
  } catch (error) {
    progress.clear();
    if (io.signal?.aborted) {
      stderr.write('genmeta: interrupted\n');
      return exitCodes.interrupted;
    }
    const reason = stop.signal.aborted ? stop.signal.reason : undefined;
    if (reason instanceof StopBatch) {
      stderr.write(
        `${errorStyle.red('genmeta:')} ${reason.error.code}: ${oneLine(reason.error.message)}\n`,
      );
      return exitCodeForError(reason.error.code);
    }
    if (isGenmetaError(error)) {
      stderr.write(`${errorStyle.red('genmeta:')} ${error.code}: ${oneLine(error.message)}\n`);
      return exitCodeForError(error.code);
    }
    throw error;
  } finally {
    progress.clear();
  }

  const generations: Generation[] = [];
  const unresolved: Unresolved[] = [];
  for (const result of results) {
    if (result.ok) generations.push(result.generation);
    else {
      unresolved.push({
        id: result.id,
        code: result.error.code,
        message: oneLine(result.error.message),
      });
    }
  }

  if (options.command === 'get' && options.fields && generations.length > 0) {
    // The wire fields this version knows come from core's schema; newer ones count when present.
    const knownFields = Object.keys(generationSchema.shape);
    const unknown = options.fields.filter(
      (field) =>
        field !== spendField &&
        !knownFields.includes(field) &&
        !generations.some((generation) => Object.hasOwn(generation, field)),
    );
    if (unknown.length > 0) {
      throw new UsageError(
        `unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((field) => `"${field}"`).join(', ')} in --fields. Valid: ${spendField}, ${knownFields.join(', ')}`,
        'get',
      );
    }
  }

  for (const item of unresolved) {
    stderr.write(`${errorStyle.red(printable(item.id, 300))}: ${item.code}: ${item.message}\n`);
  }

  if (options.command === 'get') {
    writeGenerations(stdout, generations, options, style, gathered.ids.length === 1);
  } else {
    writeCost(stdout, generations, unresolved, options, style);
  }
  return exitCodeForBatch(
    generations.length,
    unresolved.map((item) => item.code),
  );
}

function writeGenerations(
  stdout: RunOutput,
  generations: readonly Generation[],
  options: CommandOptions,
  style: ReturnType<typeof createStyle>,
  single: boolean,
): void {
  const fields = options.fields;
  if (options.format === 'json') {
    const pretty = single && stdout.isTTY === true;
    for (const generation of generations) {
      const value = fields ? pickFields(generation, fields) : generation;
      stdout.write(`${JSON.stringify(value, null, pretty ? 2 : undefined)}\n`);
    }
    return;
  }
  if (options.format === 'csv') {
    const columns = fields ?? defaultCsvFields;
    let text = csvRow(columns);
    for (const generation of generations) {
      text += csvRow(columns.map((field) => fieldValue(generation, field)));
    }
    stdout.write(text);
    return;
  }
  if (generations.length === 0) return;
  if (single) {
    const [generation] = generations;
    if (generation) stdout.write(renderCard(generation, style, fields));
    return;
  }
  stdout.write(
    renderTable(generations, style, fields, stdout.isTTY === true ? stdout.columns : undefined),
  );
}

function writeCost(
  stdout: RunOutput,
  generations: readonly Generation[],
  unresolved: readonly Unresolved[],
  options: CommandOptions,
  style: ReturnType<typeof createStyle>,
): void {
  const summary = summarize(generations);
  if (options.format === 'json') {
    const report = {
      ...summary,
      unresolvedCount: unresolved.length,
      unresolvedByCode: countByCode(unresolved),
      unresolved,
    };
    stdout.write(`${JSON.stringify(report, null, stdout.isTTY === true ? 2 : undefined)}\n`);
    return;
  }
  if (options.format === 'csv') {
    let text = csvRow(['group', 'name', 'count', 'spend_usd', 'unknown_count']);
    text += csvRow(['total', '', summary.count, summary.totalUsd, summary.unknownCount]);
    for (const [group, entries] of [
      ['model', summary.byModel],
      ['provider', summary.byProvider],
    ] as const) {
      for (const [name, entry] of Object.entries(entries)) {
        text += csvRow([group, name, entry.count, entry.spendUsd, entry.unknownCount]);
      }
    }
    for (const [code, count] of Object.entries(countByCode(unresolved))) {
      text += csvRow(['unresolved', code, count, '', '']);
    }
    stdout.write(text);
    return;
  }
  stdout.write(renderCostReport(summary, unresolved, style));
}
