/** The line of `genmeta --help` that lists the report. */
export const reportUsageLine =
  '  genmeta report [file...|-] spend from costLogger logs: by route, model, day, attribute';

const reportFlagLines = [
  '--by a,b              breakdowns, repeatable: route, path, model, provider, status, day,',
  '                      hour, finish_reason, user, session, attribute:<name> [model,route]',
  '--top N               the N most expensive requests, 0 to 1000 [10]',
  '--html FILE           also write a self-contained HTML report with charts to FILE',
  '--budget RULE         mark groups over a budget, repeatable: <group>=<value|*>:<USD>/<day|week|month>',
  '                      group: route or an attribute name; windows are UTC [feature=search:10/month]',
  '--json                one JSON object: totals, breakdowns, top requests, timeline',
  '--csv                 the breakdown rows: by,key,requests,generations,known_spend_usd,...',
  '--no-color            no colors, plain ASCII bars (also: NO_COLOR=1, or when piped)',
  '-h, --help            this help',
];

// The subset of the CLI's exit codes a report can end with, said for a report.
const reportExitCodeLines = [
  '0    the report was made (skipped lines are counted, not an error)',
  '1    unexpected internal error',
  '2    usage: bad flags, or a file that cannot be read (or the --html file written)',
  '130  interrupted (Ctrl-C)',
];

/** `genmeta help report`. */
export function reportHelp(): string {
  const indent = (lines: readonly string[]) => lines.map((line) => `  ${line}`).join('\n');
  return `Usage: genmeta report [file...|-] [flags]

Reads the cost records costLogger writes (NDJSON files, or stdin with "-" or when piped):
plain record lines and pino lines that carry a record. Other lines are skipped and
counted. It looks nothing up and needs no API key. Input is streamed: any size of log.

Prints the period, requests, generations, the known spend and how many generations have
an unknown spend (with the reasons; unknown is never counted as 0, so the known spend
is then a lower bound, shown as ">="), then one table per breakdown and the most
expensive requests. user and session group by the generations' external_user and
session_id; attribute:<name> by the record's attributes. Days and hours are UTC.

Flags
${indent(reportFlagLines)}

Exit codes
${indent(reportExitCodeLines)}

Examples
  genmeta report app.log
  genmeta report --by route,attribute:user --top 5 logs/*.ndjson
  kubectl logs deploy/app | genmeta report --by model,day --html spend.html
  genmeta report --csv --by model app.log > spend-by-model.csv
  genmeta report --budget 'feature=search:10/month' --budget 'user=*:1/day' app.log
`;
}
