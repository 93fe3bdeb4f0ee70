import * as z from 'zod/mini';

/**
 * One row of an analytics answer: an object keyed by the requested dimension and metric names
 * (a time bucket as `date__<granularity>`). Values are kept as sent; read them with care.
 */
export const analyticsRowSchema = /* @__PURE__ */ z.record(z.string(), z.unknown());

/** `POST /analytics/query`'s `data`: the rows, and whether the `limit` cut them (`truncated`). */
export const analyticsResultSchema = /* @__PURE__ */ z.looseObject({
  data: z.array(analyticsRowSchema),
  metadata: z.looseObject({
    query_time_ms: z.optional(z.nullable(z.number())),
    row_count: z.number(),
    truncated: z.boolean(),
  }),
  warnings: z.optional(z.nullable(z.array(z.string()))),
});

/** `POST /analytics/query`'s answer. */
export const analyticsResponseSchema = /* @__PURE__ */ z.looseObject({
  data: analyticsResultSchema,
});

const named = <T extends z.core.$ZodLooseShape>(shape: T) =>
  z.array(z.looseObject({ name: z.string(), ...shape }));

/** `GET /analytics/meta`'s `data`: what a query may ask for (names open, as the list grows). */
export const analyticsMetaSchema = /* @__PURE__ */ z.looseObject({
  metrics: named({
    display_label: z.optional(z.string()),
    display_format: z.optional(z.string()),
    is_rate: z.optional(z.boolean()),
  }),
  dimensions: named({ display_label: z.optional(z.string()) }),
  operators: named({ value_type: z.optional(z.string()) }),
  granularities: named({ display_label: z.optional(z.string()) }),
});

/** `GET /analytics/meta`'s answer. */
export const analyticsMetaResponseSchema = /* @__PURE__ */ z.looseObject({
  data: analyticsMetaSchema,
});

/** One analytics row. */
export type AnalyticsRow = z.infer<typeof analyticsRowSchema>;
/** An analytics answer's `data`. */
export type AnalyticsResult = z.infer<typeof analyticsResultSchema>;
/** What analytics queries may ask for. */
export type AnalyticsMeta = z.infer<typeof analyticsMetaSchema>;
