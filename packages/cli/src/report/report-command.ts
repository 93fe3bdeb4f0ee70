import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type CommandOptions, printable, UsageError } from '../internal/arguments.js';
import type { CommandIo } from '../internal/execute.js';
import { exitCodes } from '../internal/exit-codes.js';
import { createStyle, shouldColor } from '../internal/style.js';
import { oneLine } from '../internal/terminal-text.js';
import { ReportAggregator } from './aggregate.js';
import { defaultTop, type ReportSettings } from './arguments.js';
import { withBudgets } from './budgets-report.js';
import { checkRecordFiles } from './check-files.js';
import { countOf, formatReasons } from './labels.js';
import { readFileRecords } from './parallel.js';
import { readRecords } from './read-records.js';
import { renderReportCsv } from './render-csv.js';
import { renderReportHtml } from './render-html.js';
import { renderReportText } from './render-text.js';
import type { ReportData } from './report-data.js';
import { redactKey } from './secrets.js';

/** Breakdowns the HTML report always charts, besides those asked with `--by`. */
const htmlDimensions = ['model', 'route'] as const;

/** Why the HTML report was not written. */
interface HtmlFailure {
  what: 'cannot write' | 'cannot render';
  why: string;
  exitCode: number;
}

/** Renders and writes the HTML report; a failure is returned, never thrown. */
async function writeHtmlReport(
  report: ReportData,
  path: string,
  key: string | undefined,
): Promise<HtmlFailure | undefined> {
  let html: string;
  try {
    html = redactKey(renderReportHtml(report, { generatedAt: new Date() }), key);
  } catch (error) {
    // A bug: exit 1, with the message on one line and without the key.
    const message = error instanceof Error ? error.message : String(error);
    return {
      what: 'cannot render',
      why: oneLine(redactKey(message, key)),
      exitCode: exitCodes.internal,
    };
  }
  try {
    await writeFile(path, html);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'failed';
    return { what: 'cannot write', why: code, exitCode: exitCodes.usage };
  }
}

/** Runs `genmeta report`: reads records, never a key or the network; resolves to the exit code. */
export async function executeReport(
  options: CommandOptions,
  commandIo: CommandIo,
): Promise<number> {
  const key = commandIo.env.OPENROUTER_API_KEY;
  const redacting = (output: CommandIo['stdout']): CommandIo['stdout'] => ({
    isTTY: output.isTTY,
    columns: output.columns,
    write: (chunk: string) => output.write(redactKey(chunk, key)),
  });
  const io = {
    ...commandIo,
    stdout: redacting(commandIo.stdout),
    stderr: redacting(commandIo.stderr),
  };
  const settings: ReportSettings = options.report ?? {
    by: [],
    top: defaultTop,
    htmlFile: undefined,
  };
  let sources = options.sources;
  if (sources.length === 0) {
    if (io.stdin === undefined || io.stdin.isTTY === true) {
      throw new UsageError(
        'no log to read: give files of cost records, or "-" to read them from stdin',
        'report',
      );
    }
    sources = ['-'];
  }
  await checkRecordFiles(sources, io.cwd, 'report');

  // The HTML charts model and route even when --by does not ask for them.
  const budgetRules = settings.budgets ?? [];
  const dimensions = [
    ...settings.by,
    ...budgetRules.map((rule) => ({ kind: 'budget' as const, rule })),
  ];
  if (settings.htmlFile !== undefined) {
    for (const kind of htmlDimensions) {
      if (!dimensions.some((dimension) => dimension.kind === kind)) dimensions.push({ kind });
    }
  }
  const aggregator = new ReportAggregator(dimensions, settings.top);
  for (const source of sources) {
    if (source !== '-') {
      await readFileRecords(resolve(io.cwd, source), aggregator, {
        dimensions,
        top: settings.top,
        signal: io.signal,
      });
    } else if (io.stdin !== undefined) {
      await readRecords(io.stdin, aggregator, io.signal);
    }
  }
  const full = withBudgets(aggregator.result(sources), settings.by.length, budgetRules);
  // Stdout shows the breakdowns asked for; the HTML adds the ones it always charts.
  const report = { ...full, breakdowns: full.breakdowns.slice(0, settings.by.length) };

  // The HTML is made first but may fail (a disk full, a bug): the report on stdout is printed
  // anyway, and the failure after it.
  const htmlFailure =
    settings.htmlFile === undefined
      ? undefined
      : await writeHtmlReport(full, resolve(io.cwd, settings.htmlFile), key);
  if (settings.htmlFile !== undefined && htmlFailure === undefined) {
    io.stderr.write(`genmeta: wrote the HTML report to ${printable(settings.htmlFile, 200)}\n`);
  }

  if (full.skippedLines.count > 0) {
    io.stderr.write(
      `genmeta: skipped ${countOf(full.skippedLines.count, 'line')} that ${full.skippedLines.count === 1 ? 'is' : 'are'} not cost records (${formatReasons(full.skippedLines.reasons)})\n`,
    );
  }
  if (full.requests === 0) io.stderr.write('genmeta: no cost records in the input\n');

  if (options.format === 'json') {
    io.stdout.write(`${JSON.stringify(report, null, io.stdout.isTTY === true ? 2 : undefined)}\n`);
  } else if (options.format === 'csv') {
    io.stdout.write(renderReportCsv(report));
  } else {
    const style = createStyle(shouldColor(io.stdout, io.env, options.color));
    const columns = io.stdout.isTTY === true ? io.stdout.columns : undefined;
    io.stdout.write(renderReportText(report, { style, columns }));
  }
  if (htmlFailure !== undefined && settings.htmlFile !== undefined) {
    const target = printable(settings.htmlFile, 200);
    io.stderr.write(
      `genmeta: ${htmlFailure.what} the HTML report to "${target}": ${htmlFailure.why}\n`,
    );
    return htmlFailure.exitCode;
  }
  return exitCodes.ok;
}
