import { type GenerationFacts, generationFacts } from './savings-facts.js';

/** Why a line of the input did not count as a cost record. */
export type SkipReason = 'not_json' | 'not_a_record' | 'invalid_record' | 'too_long';

/** One resolved generation, reduced to what a report groups and sums. */
export interface ReportGeneration {
  /** the generation id (a response-cache hit is priced from its source's spend) */
  id: string | null;
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

function isSpend(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function optionalString(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

class InvalidRecord extends Error {}

function invalid(): never {
  throw new InvalidRecord();
}

function parseGeneration(value: unknown): ReportGeneration {
  if (!isObject(value)) invalid();
  const spend = value.spendUsd;
  if (spend !== null && !isSpend(spend)) invalid();
  return {
    id: typeof value.id === 'string' ? value.id : null,
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
  const inline = value.inlineSpendUsd;
  if (inline !== undefined && !isSpend(inline)) invalid();
  return { reason: value.reason, inlineSpendUsd: inline };
}

function parseAttributes(value: unknown): ReportRecord['attributes'] {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) invalid();
  const attributes: Record<string, string | number | boolean> = {};
  for (const [name, item] of Object.entries(value)) {
    // Values the middleware cannot produce (objects, null) are left out rather than guessed.
    if (typeof item === 'string' || typeof item === 'boolean') attributes[name] = item;
    else if (typeof item === 'number' && Number.isFinite(item)) attributes[name] = item;
  }
  return attributes;
}

/**
 * A cost record is recognised by its fields, not by where it sits: a plain record line and a
 * pino line (the record's fields merged with `level`, `time`, `msg`, ...) look alike here.
 */
function looksLikeRecord(value: Json): boolean {
  return (
    typeof value.requestId === 'string' &&
    Array.isArray(value.generations) &&
    Array.isArray(value.unresolved)
  );
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
  if (!isObject(value) || !looksLikeRecord(value)) return { skip: 'not_a_record' };
  try {
    return { record: toRecord(value) };
  } catch (error) {
    if (error instanceof InvalidRecord) return { skip: 'invalid_record' };
    throw error;
  }
}
