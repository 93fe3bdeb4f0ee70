import { type FieldKind, generationFields, providerResponseFields } from '../schemas/fields.js';

/** The first field that fails its kind: where, and the JSON type expected there. */
export interface FieldIssue {
  path: PropertyKey[];
  expected: string;
}

/** An object zod's `looseObject` accepts: not null, not an array. */
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// zod's number is finite (JSON.parse turns 1e999 into Infinity).
const isKind = (value: unknown, type: string): boolean =>
  type === 'number' ? Number.isFinite(value) : typeof value === type;

/** A field table as `[name, JSON type, may be null, may be absent]` rows, for the hot path. */
type Rows = readonly (readonly [string, string, boolean, boolean])[];

const rowsOf = (fields: Readonly<Record<string, FieldKind>>): Rows =>
  Object.entries(fields).map(([name, kind]) => {
    const optional = kind.endsWith('?');
    const nullable = optional || kind.endsWith('|null');
    return [name, nullable ? kind.replace(/[?|].*/, '') : kind, nullable, optional] as const;
  });

// Built on first use, so a bundle that never checks a generation carries no work at load.
let generationRows: Rows | undefined;
let providerRows: Rows | undefined;

function checkFields(
  value: Record<string, unknown>,
  rows: Rows,
  path: PropertyKey[],
): FieldIssue | undefined {
  for (const [name, type, nullable, optional] of rows) {
    const field = value[name];
    if (field === null ? nullable : field === undefined && optional) continue;
    if (!isKind(field, type)) return { path: [...path, name], expected: type };
  }
  return undefined;
}

/**
 * The first way `value` fails `generationResponseSchema` (`{ data: Generation }`, or with
 * `wrapped: false` the generation itself), in the schema's order, or `undefined` when it
 * passes. The same rules as the zod schemas, without zod's cost in bundle size and CPU.
 */
export function generationIssue(value: unknown, wrapped = true): FieldIssue | undefined {
  const path: PropertyKey[] = [];
  let generation = value;
  if (wrapped) {
    if (!isRecord(value)) return { path, expected: 'object' };
    generation = value.data;
    path.push('data');
  }
  if (!isRecord(generation)) return { path, expected: 'object' };
  generationRows ??= rowsOf(generationFields);
  const issue = checkFields(generation, generationRows, path);
  if (issue !== undefined) return issue;
  const providers = generation.provider_responses;
  if (providers === undefined || providers === null) return undefined;
  if (!Array.isArray(providers))
    return { path: [...path, 'provider_responses'], expected: 'array' };
  providerRows ??= rowsOf(providerResponseFields);
  for (let index = 0; index < providers.length; index++) {
    const item: unknown = providers[index];
    const at = [...path, 'provider_responses', index];
    if (!isRecord(item)) return { path: at, expected: 'object' };
    const itemIssue = checkFields(item, providerRows, at);
    if (itemIssue !== undefined) return itemIssue;
  }
  return undefined;
}
