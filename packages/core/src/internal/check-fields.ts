import { type FieldKind, generationFields, providerResponseFields } from '../schemas/fields.js';
import { isRecord } from './json-shape.js';

/** The first field that fails its kind: where, and the JSON type expected there. */
export interface FieldIssue {
  path: PropertyKey[];
  expected: string;
}

// zod's number is finite (JSON.parse turns 1e999 into Infinity).
const isKind = (value: unknown, type: string): boolean =>
  type === 'number' ? Number.isFinite(value) : typeof value === type;

/**
 * A field table as parallel columns (name, JSON type, may be null, may be absent): the check
 * runs once per answer over ~45 fields, and plain indexed arrays are its cheapest form.
 */
interface Columns {
  names: string[];
  types: string[];
  nullable: boolean[];
  optional: boolean[];
}

function columnsOf(fields: Readonly<Record<string, FieldKind>>): Columns {
  const columns: Columns = { names: [], types: [], nullable: [], optional: [] };
  for (const [name, kind] of Object.entries(fields)) {
    const optional = kind.endsWith('?');
    const nullable = optional || kind.endsWith('|null');
    columns.names.push(name);
    columns.types.push(nullable ? kind.replace(/[?|].*/, '') : kind);
    columns.nullable.push(nullable);
    columns.optional.push(optional);
  }
  return columns;
}

// Built on first use, so a bundle that never checks a generation carries no work at load.
let generationColumns: Columns | undefined;
let providerColumns: Columns | undefined;

function checkFields(
  value: Record<string, unknown>,
  { names, types, nullable, optional }: Columns,
  path: PropertyKey[],
): FieldIssue | undefined {
  for (let index = 0; index < names.length; index++) {
    const name = names[index] as string;
    const field = value[name];
    if (field === null ? nullable[index] : field === undefined && optional[index]) continue;
    const type = types[index] as string;
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
  generationColumns ??= columnsOf(generationFields);
  const issue = checkFields(generation, generationColumns, path);
  if (issue !== undefined) return issue;
  const providers = generation.provider_responses;
  if (providers === undefined || providers === null) return undefined;
  if (!Array.isArray(providers))
    return { path: [...path, 'provider_responses'], expected: 'array' };
  providerColumns ??= columnsOf(providerResponseFields);
  for (let index = 0; index < providers.length; index++) {
    const item: unknown = providers[index];
    const at = [...path, 'provider_responses', index];
    if (!isRecord(item)) return { path: at, expected: 'object' };
    const itemIssue = checkFields(item, providerColumns, at);
    if (itemIssue !== undefined) return itemIssue;
  }
  return undefined;
}

/**
 * `error.message` of a body `errorResponseSchema` accepts, or `undefined`: the same rule
 * without zod, so neither the client's bundle nor its import loads zod (a test checks they
 * agree).
 */
export function errorResponseMessage(json: unknown): string | undefined {
  if (!isRecord(json) || !isRecord(json.error)) return undefined;
  const { code, message, metadata } = json.error;
  const { user_id: userId } = json;
  if (!Number.isFinite(code) || typeof message !== 'string') return undefined;
  if (metadata != null && !isRecord(metadata)) return undefined;
  if (userId != null && typeof userId !== 'string') return undefined;
  return message;
}
