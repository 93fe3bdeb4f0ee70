import * as z from 'zod/mini';

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
