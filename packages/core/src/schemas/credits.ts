import * as z from 'zod/mini';

/** The account's credits (`GET /credits`'s `data`), in USD. Unknown fields kept. */
export const creditsSchema = /* @__PURE__ */ z.looseObject({
  /** Credits bought. */
  total_credits: z.number(),
  /** Credits used. */
  total_usage: z.number(),
});

/** `GET /credits`' answer. */
export const creditsResponseSchema = /* @__PURE__ */ z.looseObject({ data: creditsSchema });

/** The account's credits, as {@link creditsSchema} reads them. */
export type Credits = z.infer<typeof creditsSchema>;
