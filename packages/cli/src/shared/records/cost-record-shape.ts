/**
 * The one rule for "this JSON line is a costLogger record", shared by `genmeta report` and by
 * `genmeta cost -`/`get -` over a log: a record is recognised by its own fields at the top level
 * of the line (costLogger's JSON line, or a pino line that merges the record's fields with
 * `level`, `time`, `msg`). A request body or any other value an app logs is not a record, even
 * when it holds a `generationIds` array somewhere: an attacker must not add ids to a total.
 */
export function looksLikeCostRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.requestId === 'string' &&
    Array.isArray(record.generations) &&
    Array.isArray(record.unresolved)
  );
}
