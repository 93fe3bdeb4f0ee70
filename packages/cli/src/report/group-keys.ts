import type { Dimension } from './arguments.js';
import { budgetKey } from './budgets.js';
import type { ReportGeneration, ReportRecord } from './parse-record.js';

export const hourMs = 3_600_000;
/** The group of tracked ids without stats, in the breakdowns by generation. */
export const unresolvedKey = '(unresolved)';
/** The group of records (or generations) without the value. */
export const noneKey = '(none)';

/** The breakdowns that group generations; the others group whole requests. */
export const generationDimensions: ReadonlySet<Dimension['kind']> = new Set([
  'model',
  'provider',
  'finish_reason',
  'user',
  'session',
]);

// Logs are mostly in time order: remembering the last hour's keys saves a Date per record.
let cachedHour = Number.NaN;
let cachedDay = '';
let cachedHourKey = '';

function timeKeys(hour: number): void {
  if (hour === cachedHour) return;
  const iso = new Date(hour * hourMs).toISOString();
  cachedHour = hour;
  cachedDay = iso.slice(0, 10);
  cachedHourKey = `${iso.slice(0, 13)}:00Z`;
}

/** The group of a request in a request breakdown; `hour` is its start in hours since 1970. */
export function requestKey(dimension: Dimension, record: ReportRecord, hour: number): string {
  switch (dimension.kind) {
    case 'route':
      return record.route ?? '(no route)';
    case 'path':
      return record.path;
    case 'status':
      return String(record.statusCode);
    case 'day':
      timeKeys(hour);
      return cachedDay;
    case 'hour':
      timeKeys(hour);
      return cachedHourKey;
    case 'budget':
      return budgetKey(dimension.rule, record);
    case 'attribute': {
      const value = record.attributes?.[dimension.name];
      return value === undefined ? noneKey : String(value);
    }
    default:
      return noneKey;
  }
}

/** The group of a resolved generation in a generation breakdown. */
export function generationKey(dimension: Dimension, generation: ReportGeneration): string {
  switch (dimension.kind) {
    case 'model':
      return generation.model;
    case 'provider':
      return generation.provider ?? '(unknown)';
    case 'finish_reason':
      return generation.finishReason ?? noneKey;
    case 'user':
      return generation.user ?? noneKey;
    case 'session':
      return generation.session ?? noneKey;
    default:
      return noneKey;
  }
}
