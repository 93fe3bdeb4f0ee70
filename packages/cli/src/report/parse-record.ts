import { looksLikeCostRecord } from '../internal/cost-record-shape.js';
import { type GenerationFacts, generationFacts } from './savings-facts.js';

/** Why a line of the input did not count as a cost record. */
export type SkipReason =
  | 'not_json'
  | 'not_a_record'
  | 'invalid_record'
  | 'amount_out_of_range'
  | 'too_long';

/**
 * The largest amount one generation's spend may state, USD. No generation costs anywhere near
 * it; a record stating more (`1e308`, a corrupted or forged line) is skipped as
 * `amount_out_of_range`, so every total stays finite and exact.
 */
export const maxSpendUsd = 10_000;

/** One resolved generation, reduced to what a report groups and sums. */
export interface ReportGeneration {
  /** the generation id, when the record has one */
  id: string | null;
  /** `created_at` in epoch ms, NaN when absent or unreadable */
  createdAtMs: number;
  /** `total_cost`: USD billed to credits, when recorded */
  totalCostUsd: number | null;
  /** `upstream_inference_cost`, when recorded */
  upstreamUsd: number | null;
  /** `is_byok`, when recorded */
  isByok: boolean | null;
  model: string;
  provider: string | null;
  finishReason: string | null;
  user: string | null;
  session: string | null;
  /** `null` when unknown: never counted as 0 */
  spendUsd: number | null;
  /** savings and waste facts (see `savings-waste.ts`); absent fields of older records read as none */
  facts: GenerationFacts | null;
}

/** One tracked id without stats, reduced to its reason and inline spend (when seen). */
export interface ReportUnresolved {
  /** the generation id, when the record has one */
  id: string | null;
  reason: string;
  inlineSpendUsd: number | undefined;
}

/** A costLogger record, checked and reduced to what a report needs. */
export interface ReportRecord {
  requestId: string;
  method: string;
  path: string;
  route: string | null;
  statusCode: number;
  startedAt: string;
  startedAtMs: number;
  durationMs: number | null;
  generations: ReportGeneration[];
  unresolved: ReportUnresolved[];
  attributes: Readonly<Record<string, string | number | boolean>> | undefined;
}

/** The outcome of reading one line. */
export type ParsedLine = { record: ReportRecord } | { skip: SkipReason };

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A spend amount: a number in [0, {@link maxSpendUsd}]; a negative or huge one is refused. */
function checkSpend(value: unknown): number {
  if (typeof value !== 'number' || Number.isNaN(value)) invalid();
  if (value < 0 || value > maxSpendUsd) outOfRange();
  return value;
}

/** An optional amount read beside the spend: kept when in range, else left out as `null`. */
function isSpend(value: unknown): value is number {
  return typeof value === 'number' && value >= 0 && value <= maxSpendUsd;
}

function optionalString(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

class InvalidRecord extends Error {
  constructor(readonly reason: SkipReason) {
    super(reason);
  }
}

function invalid(): never {
  throw new InvalidRecord('invalid_record');
}

function outOfRange(): never {
  throw new InvalidRecord('amount_out_of_range');
}

function parseGeneration(value: unknown): ReportGeneration {
  if (!isObject(value)) invalid();
  const spend = value.spendUsd === null ? null : checkSpend(value.spendUsd);
  const createdAt = value.created_at;
  return {
    id: optionalString(value.id),
    createdAtMs: typeof createdAt === 'string' ? Date.parse(createdAt) : Number.NaN,
    totalCostUsd: isSpend(value.total_cost) ? value.total_cost : null,
    upstreamUsd: isSpend(value.upstream_inference_cost) ? value.upstream_inference_cost : null,
    isByok: typeof value.is_byok === 'boolean' ? value.is_byok : null,
    model: typeof value.model === 'string' && value.model !== '' ? value.model : '(unknown)',
    provider: optionalString(value.provider),
    finishReason: optionalString(value.finish_reason),
    user: optionalString(value.external_user),
    session: optionalString(value.session_id),
    spendUsd: spend,
    facts: generationFacts(value),
  };
}

function parseUnresolved(value: unknown): ReportUnresolved {
  if (!isObject(value) || typeof value.reason !== 'string') invalid();
  const inline = value.inlineSpendUsd === undefined ? undefined : checkSpend(value.inlineSpendUsd);
  return { id: optionalString(value.id), reason: value.reason, inlineSpendUsd: inline };
}

function parseAttributes(value: unknown): ReportRecord['attributes'] {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) invalid();
  // No prototype: an attribute named `constructor` or `__proto__` is a value like any other,
  // and a missing one is never found on Object.prototype.
  const attributes = Object.create(null) as Record<string, string | number | boolean>;
  for (const [name, item] of Object.entries(value)) {
    // Values the middleware cannot produce (objects, null) are left out rather than guessed.
    if (typeof item === 'string' || typeof item === 'boolean') attributes[name] = item;
    else if (typeof item === 'number' && Number.isFinite(item)) attributes[name] = item;
  }
  return attributes;
}

function toRecord(value: Json): ReportRecord {
  const startedAt = value.startedAt;
  const startedAtMs = typeof startedAt === 'string' ? Date.parse(startedAt) : Number.NaN;
  if (typeof startedAt !== 'string' || Number.isNaN(startedAtMs)) invalid();
  const statusCode = value.statusCode;
  if (typeof statusCode !== 'number' || !Number.isInteger(statusCode)) invalid();
  const duration = value.durationMs;
  return {
    requestId: value.requestId as string,
    method: typeof value.method === 'string' ? value.method : '',
    path: typeof value.path === 'string' ? value.path : '',
    route: optionalString(value.route),
    statusCode,
    startedAt,
    startedAtMs,
    durationMs: typeof duration === 'number' && Number.isFinite(duration) ? duration : null,
    generations: (value.generations as unknown[]).map(parseGeneration),
    unresolved: (value.unresolved as unknown[]).map(parseUnresolved),
    attributes: parseAttributes(value.attributes),
  };
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0d || code === 0x0a;
}

/** Reads one input line: a cost record (plain or pino-wrapped), or why it was skipped. */
export function parseLine(line: string): ParsedLine | undefined {
  // Cheap test first, without copying the line: most garbage is not even an object.
  let first = 0;
  while (first < line.length && isSpace(line.charCodeAt(first))) first += 1;
  if (first === line.length) return undefined;
  if (line.charCodeAt(first) !== 0x7b) return { skip: 'not_json' };
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { skip: 'not_json' };
  }
  if (!looksLikeCostRecord(value)) return { skip: 'not_a_record' };
  try {
    return { record: toRecord(value) };
  } catch (error) {
    if (error instanceof InvalidRecord) return { skip: error.reason };
    throw error;
  }
}
