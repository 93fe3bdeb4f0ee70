import type { FakeGeneration, PricedGenerationSpec } from '../../types.js';
import type { Exchange } from '../exchange.js';
import { isJsonObject } from '../http.js';
import type { FakeState } from '../state.js';

const adminMaxCount = 100_000;

/** The first thing wrong with a `POST /__fake/generations` body, as the 400 message. */
function invalidAdminBody(body: Record<string, unknown>): string | undefined {
  const count = body.count ?? 1;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > adminMaxCount) {
    return `count must be an integer from 1 to ${adminMaxCount}`;
  }
  const fields = body.fields ?? {};
  if (!isJsonObject(fields)) return 'fields must be a JSON object';
  const readyInMs = body.readyInMs;
  if (
    readyInMs !== undefined &&
    (typeof readyInMs !== 'number' || !Number.isFinite(readyInMs) || readyInMs < 0)
  ) {
    return 'readyInMs must be a non-negative number';
  }
  if (count > 1 && typeof fields.id === 'string') return 'fields.id can only be given with count 1';
  if (body.priced !== undefined && !isJsonObject(body.priced))
    return 'priced must be a JSON object';
  return undefined;
}

/**
 * `POST /__fake/generations`: creates generations for a test running in another process;
 * with `priced` (a {@link PricedGenerationSpec}) their cost comes from the fake's price list.
 */
export async function handleAdminGenerations(state: FakeState, exchange: Exchange): Promise<void> {
  const { responder } = state;
  if (!responder.authorize(exchange)) return;
  const parsed = await responder.readJson(exchange, {});
  if (!parsed) return;
  const body = parsed.value;
  if (!isJsonObject(body)) {
    responder.sendError(exchange, 400, 'Request body must be a JSON object');
    return;
  }
  const problem = invalidAdminBody(body);
  if (problem !== undefined) {
    responder.sendError(exchange, 400, problem);
    return;
  }
  const count = (body.count ?? 1) as number;
  const fields = (body.fields ?? {}) as Partial<FakeGeneration>;
  const readyInMs = body.readyInMs as number | undefined;
  const ids: string[] = [];
  const priced = body.priced as PricedGenerationSpec | undefined;
  try {
    for (let index = 0; index < count; index += 1) {
      const generation =
        priced === undefined
          ? state.addGeneration(fields, { readyInMs })
          : state.addPricedGeneration(
              { ...priced, fields: { ...priced.fields, ...fields } },
              { readyInMs },
            );
      ids.push(generation.id);
    }
  } catch (error) {
    responder.sendError(exchange, 400, error instanceof Error ? error.message : String(error));
    return;
  }
  responder.sendJson(exchange, 200, { ids });
}
