import * as z from 'zod/mini';
import { isRecord } from '../internal/json-shape.js';

/** OpenRouter's error body, for every status: `{ error: { code, message, metadata? }, user_id? }`. */
export const errorResponseSchema = /* @__PURE__ */ z.looseObject({
  error: /* @__PURE__ */ z.looseObject({
    code: /* @__PURE__ */ z.number(),
    message: /* @__PURE__ */ z.string(),
    // Any object (JSON has only plain ones); `z.record` would add ~0.6 kB gzip to every bundle.
    metadata: /* @__PURE__ */ z.optional(
      /* @__PURE__ */ z.nullable(/* @__PURE__ */ z.looseObject({})),
    ),
  }),
  user_id: /* @__PURE__ */ z.optional(/* @__PURE__ */ z.nullable(/* @__PURE__ */ z.string())),
});

/**
 * `error.message` of a body {@link errorResponseSchema} accepts, or `undefined`: the same rule
 * without zod, so the client's bundle carries no zod (a test checks they agree).
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

/** OpenRouter's error body. */
export interface ErrorResponse {
  error: {
    /** Usually the HTTP status. */
    code: number;
    message: string;
    metadata?: Record<string, unknown> | null;
    [key: string]: unknown;
  };
  user_id?: string | null;
  [key: string]: unknown;
}

// The hand-written interface and the schema must describe the same objects (checked by tsc).
type Assert<T extends true> = T;
type MutuallyAssignable<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export type SchemaMatchesType = Assert<
  MutuallyAssignable<z.infer<typeof errorResponseSchema>, ErrorResponse>
>;
