import * as z from 'zod/mini';

const nullableString = /* @__PURE__ */ z.optional(
  /* @__PURE__ */ z.nullable(/* @__PURE__ */ z.string()),
);

/** One failed upstream attempt stored with a generation (`error.previous_errors[]`). */
export const generationErrorAttemptSchema = /* @__PURE__ */ z.looseObject({
  code: /* @__PURE__ */ z.optional(/* @__PURE__ */ z.nullable(/* @__PURE__ */ z.number())),
  message: nullableString,
  provider_name: nullableString,
  raw: nullableString,
});

/** A failed upstream attempt: its HTTP status (`code`), message and provider. */
export interface GenerationErrorAttempt {
  /** HTTP status of the attempt. */
  code?: number | null;
  message?: string | null;
  provider_name?: string | null;
  /** The provider's raw error body, when stored. */
  raw?: string | null;
  [key: string]: unknown;
}

/** The stored failure of a generation, or null when it succeeded. */
export const generationContentErrorSchema = /* @__PURE__ */ z.looseObject({
  status: /* @__PURE__ */ z.optional(/* @__PURE__ */ z.nullable(/* @__PURE__ */ z.number())),
  message: nullableString,
  provider_name: nullableString,
  raw: nullableString,
  previous_errors: /* @__PURE__ */ z.optional(
    /* @__PURE__ */ z.nullable(/* @__PURE__ */ z.array(generationErrorAttemptSchema)),
  ),
});

/** The stored failure of a generation: what the client got, and every failed attempt before it. */
export interface GenerationContentError {
  /** HTTP status returned to the client. */
  status?: number | null;
  message?: string | null;
  provider_name?: string | null;
  raw?: string | null;
  /** Every upstream attempt that failed before, in attempt order. */
  previous_errors?: GenerationErrorAttempt[] | null;
  [key: string]: unknown;
}

/**
 * The `data` of `GET /generation/content`: the stored `input` and `output` (empty under
 * zero-data-retention) and `error`. Kept loose: only `error` is read by genmeta.
 */
export const generationContentSchema = /* @__PURE__ */ z.looseObject({
  input: /* @__PURE__ */ z.optional(/* @__PURE__ */ z.unknown()),
  output: /* @__PURE__ */ z.optional(
    /* @__PURE__ */ z.nullable(
      /* @__PURE__ */ z.looseObject({ completion: nullableString, reasoning: nullableString }),
    ),
  ),
  error: /* @__PURE__ */ z.optional(/* @__PURE__ */ z.nullable(generationContentErrorSchema)),
});

/** What OpenRouter stored of a generation. */
export interface GenerationContent {
  /** `{ prompt }` or `{ messages }`. */
  input?: unknown;
  output?: {
    completion?: string | null;
    reasoning?: string | null;
    [key: string]: unknown;
  } | null;
  /** The stored failure, null when the generation succeeded. */
  error?: GenerationContentError | null;
  [key: string]: unknown;
}

/** The whole 200 body of `GET /generation/content`. */
export const generationContentResponseSchema = /* @__PURE__ */ z.looseObject({
  data: generationContentSchema,
});

/** The whole 200 body of `GET /generation/content`. */
export interface GenerationContentResponse {
  data: GenerationContent;
  [key: string]: unknown;
}

// The hand-written interfaces and the schemas must describe the same objects (checked by tsc).
type Assert<T extends true> = T;
type MutuallyAssignable<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export type SchemasMatchTypes = Assert<
  | MutuallyAssignable<z.infer<typeof generationErrorAttemptSchema>, GenerationErrorAttempt>
  | MutuallyAssignable<z.infer<typeof generationContentErrorSchema>, GenerationContentError>
  | MutuallyAssignable<z.infer<typeof generationContentSchema>, GenerationContent>
  | MutuallyAssignable<z.infer<typeof generationContentResponseSchema>, GenerationContentResponse>
>;
