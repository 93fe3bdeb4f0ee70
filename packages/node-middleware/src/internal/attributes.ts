import type { CostAttributes, CostAttributeValue } from '../types.js';

/** The attribute rule, in one place (Express middleware and fetch-style hosts share it). */
export const ATTRIBUTE_KEY_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
export const MAX_ATTRIBUTES = 32;
export const MAX_ATTRIBUTE_VALUE_LENGTH = 256;

/** Called with a message naming what was dropped (the caller reports it once). */
export type InvalidAttribute = (message: string) => void;

function shownKey(key: string): string {
  return JSON.stringify(key.length > 70 ? `${key.slice(0, 67)}...` : key);
}

/** Why a value cannot be an attribute value, or undefined when it can. */
function valueProblem(value: unknown): string | undefined {
  if (typeof value === 'string') {
    return value.length > MAX_ATTRIBUTE_VALUE_LENGTH
      ? `is longer than ${MAX_ATTRIBUTE_VALUE_LENGTH} characters (${value.length})`
      : undefined;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : 'is not finite';
  if (typeof value === 'boolean') return undefined;
  return `is a ${value === null ? 'null' : typeof value}, not a string, finite number or boolean`;
}

/**
 * Merges valid attributes of `input` into `target` (created on first use and returned). Invalid
 * keys, values and keys past {@link MAX_ATTRIBUTES} are dropped and passed to `invalid`; never
 * throws (a getter that throws is dropped too).
 */
export function mergeAttributes(
  target: CostAttributes | undefined,
  input: unknown,
  invalid: InvalidAttribute,
): CostAttributes | undefined {
  if (input === undefined || input === null) return target;
  if (typeof input !== 'object' || Array.isArray(input)) {
    invalid(
      `genmeta: cost attributes must be a plain object (got ${Array.isArray(input) ? 'an array' : typeof input}); dropped`,
    );
    return target;
  }
  let keys: string[];
  try {
    keys = Object.keys(input);
  } catch {
    invalid('genmeta: cost attributes could not be read; dropped');
    return target;
  }
  for (const key of keys) {
    if (!ATTRIBUTE_KEY_PATTERN.test(key)) {
      invalid(
        `genmeta: cost attribute key ${shownKey(key)} dropped: keys are 1 to 64 characters of [A-Za-z0-9_.-]`,
      );
      continue;
    }
    let value: unknown;
    try {
      value = (input as Record<string, unknown>)[key];
    } catch {
      invalid(`genmeta: cost attribute ${shownKey(key)} dropped: reading it threw`);
      continue;
    }
    if (value === undefined) continue;
    const problem = valueProblem(value);
    if (problem !== undefined) {
      invalid(`genmeta: cost attribute ${shownKey(key)} dropped: its value ${problem}`);
      continue;
    }
    target ??= {};
    if (!Object.hasOwn(target, key) && Object.keys(target).length >= MAX_ATTRIBUTES) {
      invalid(
        `genmeta: cost attribute ${shownKey(key)} dropped: a record carries at most ${MAX_ATTRIBUTES} attributes`,
      );
      continue;
    }
    // defined, not assigned: a key such as `__proto__` stays a plain own property
    Object.defineProperty(target, key, {
      value: value as CostAttributeValue,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return target;
}
