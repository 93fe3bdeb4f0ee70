import type { CostAttributes, CostAttributeValue } from './types.js';

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

function setAttribute(target: CostAttributes, key: string, value: CostAttributeValue): void {
  if (key === '__proto__') {
    // defined, not assigned: it stays a plain own property instead of setting the prototype
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else target[key] = value;
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
  let count = target === undefined ? 0 : Object.keys(target).length;
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
    const known = Object.hasOwn(target, key);
    if (!known && count >= MAX_ATTRIBUTES) {
      invalid(
        `genmeta: cost attribute ${shownKey(key)} dropped: a record carries at most ${MAX_ATTRIBUTES} attributes`,
      );
      continue;
    }
    if (!known) count += 1;
    setAttribute(target, key, value as CostAttributeValue);
  }
  return target;
}

/**
 * Puts already valid attributes over `base` (mutated), key by key, within
 * {@link MAX_ATTRIBUTES}: the cheap merge for attributes that went through
 * {@link mergeAttributes} once.
 */
export function overlayAttributes(
  base: CostAttributes,
  overlay: CostAttributes,
  invalid: InvalidAttribute,
): CostAttributes {
  let count = -1;
  for (const key of Object.keys(overlay)) {
    if (!Object.hasOwn(base, key)) {
      if (count === -1) count = Object.keys(base).length;
      if (count >= MAX_ATTRIBUTES) {
        invalid(
          `genmeta: cost attribute ${shownKey(key)} dropped: a record carries at most ${MAX_ATTRIBUTES} attributes`,
        );
        continue;
      }
      count += 1;
    }
    setAttribute(base, key, overlay[key]!);
  }
  return base;
}

/**
 * A record's attributes: the option's, overridden key by key by those set in the request's flow.
 * Both are the record's own objects, sealed by now: merged in place.
 */
export function recordAttributes(
  fromOption: CostAttributes | undefined,
  fromFlow: CostAttributes | undefined,
  invalid: InvalidAttribute,
): CostAttributes | undefined {
  if (fromOption === undefined || fromFlow === undefined) return fromFlow ?? fromOption;
  return overlayAttributes(fromOption, fromFlow, invalid);
}
