// The example's server writes each cost record as one JSON line on stdout; tests read them back
// through core's one reader of that line, typed as the middleware's record.
import { parseCostRecordLine } from '@genmeta/core/rules';
import type { CostRecord } from '@genmeta/node-middleware';

/** The cost record a stdout line holds, or undefined for any other line. */
export function recordOf(line: string): CostRecord | undefined {
  const record = parseCostRecordLine(line);
  return typeof record === 'object' ? (record as CostRecord) : undefined;
}
