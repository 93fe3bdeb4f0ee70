import * as z from 'zod/mini';

/**
 * One row of `GET /activity`: a UTC day × model × endpoint, with USD `usage` (credits) and
 * `byok_usage_inference` (paid to the provider with the account's own key). Unknown fields kept.
 */
export const activityItemSchema = /* @__PURE__ */ z.looseObject({
  date: z.string(),
  model: z.string(),
  model_permaslug: z.optional(z.nullable(z.string())),
  endpoint_id: z.optional(z.nullable(z.string())),
  provider_name: z.optional(z.nullable(z.string())),
  usage: z.number(),
  byok_usage_inference: z.optional(z.nullable(z.number())),
  requests: z.number(),
  prompt_tokens: z.optional(z.nullable(z.number())),
  completion_tokens: z.optional(z.nullable(z.number())),
  reasoning_tokens: z.optional(z.nullable(z.number())),
  workspace_id: z.optional(z.nullable(z.string())),
});

/** `GET /activity`'s answer. */
export const activityResponseSchema = /* @__PURE__ */ z.looseObject({
  data: z.array(activityItemSchema),
});

/** One row of activity, as {@link activityItemSchema} reads it. */
export type ActivityItem = z.infer<typeof activityItemSchema>;
