import * as z from 'zod/mini';

const optionalNumber = () => z.optional(z.nullable(z.number()));

/**
 * The current key (`GET /key`'s `data`): its label, limit and usage, and whether it is a
 * management key. Unknown fields kept; everything but `label` optional, as OpenRouter's field
 * list grows and some fields are null on some keys.
 */
export const keySchema = /* @__PURE__ */ z.looseObject({
  label: z.string(),
  limit: optionalNumber(),
  limit_remaining: optionalNumber(),
  limit_reset: z.optional(z.nullable(z.string())),
  usage: optionalNumber(),
  usage_daily: optionalNumber(),
  usage_weekly: optionalNumber(),
  usage_monthly: optionalNumber(),
  byok_usage: optionalNumber(),
  byok_usage_daily: optionalNumber(),
  byok_usage_weekly: optionalNumber(),
  byok_usage_monthly: optionalNumber(),
  include_byok_in_limit: z.optional(z.nullable(z.boolean())),
  is_free_tier: z.optional(z.nullable(z.boolean())),
  is_management_key: z.optional(z.nullable(z.boolean())),
  is_provisioning_key: z.optional(z.nullable(z.boolean())),
  expires_at: z.optional(z.nullable(z.string())),
  creator_user_id: z.optional(z.nullable(z.string())),
});

/** `GET /key`'s answer. */
export const keyResponseSchema = /* @__PURE__ */ z.looseObject({ data: keySchema });

/** The current key, as {@link keySchema} reads it. */
export type Key = z.infer<typeof keySchema>;
