import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { FakeOpenRouter } from '@genmeta/fake-openrouter';
import {
  type CostLoggerOptions,
  type CostRecord,
  costLogger,
  type SpendLimitOptions,
  spendLimit,
  trackGeneration,
} from '../src/index.js';
import { closeServer, type ExpressModule, listen } from './helpers.js';

export type LimitOptions = Partial<Omit<SpendLimitOptions, 'logger'>>;

/**
 * An Express app whose `/api/spend` spends `cost` USD (inline) on a generation that really cost
 * `actual` (looked up from the fake, ready after `readyInMs`), behind a limiter keyed by
 * `x-user`.
 */
export async function startLimitedApp(
  express: ExpressModule,
  fake: FakeOpenRouter,
  limit: LimitOptions = {},
  loggerOptions: CostLoggerOptions = {},
) {
  const records: CostRecord[] = [];
  const warnings: string[] = [];
  const logger = costLogger({
    clientOptions: { baseUrl: fake.url, apiKey: fake.apiKey },
    logger: {
      info: (record) => records.push(record as CostRecord),
      warn: (details, message) => warnings.push(`${message} ${JSON.stringify(details)}`),
    },
    ...loggerOptions,
  });
  const limiter = spendLimit({
    logger,
    key: (request) => {
      const user = (request as IncomingMessage).headers['x-user'];
      return typeof user === 'string' ? user : undefined;
    },
    limitUsd: 1,
    windowMs: 60_000,
    ...limit,
  });
  const app = express();
  app.use(logger);
  app.use('/api', limiter);
  app.get('/api/spend', (request, response) => {
    const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
    const cost = Number(query.get('cost'));
    const actual = query.has('actual') ? Number(query.get('actual')) : cost;
    const readyInMs = Number(query.get('readyInMs') ?? 0);
    const delayMs = Number(query.get('delayMs') ?? 0);
    const fields = query.has('unknown')
      ? { is_byok: true, upstream_inference_cost: null } // BYOK, provider charge unknown
      : { total_cost: actual, usage: actual, is_byok: false };
    const { id } = fake.addGeneration(fields, { readyInMs });
    setTimeout(() => {
      trackGeneration(id, query.has('cost') ? { costUsd: cost } : undefined);
      response.json({ id });
    }, delayMs);
  });
  const server = createServer(
    app as unknown as (request: IncomingMessage, response: ServerResponse) => void,
  );
  const url = await listen(server);
  return {
    url,
    records,
    warnings,
    limiter,
    logger,
    spend: (user: string | undefined, query: string) =>
      fetch(`${url}/api/spend?${query}`, { headers: user === undefined ? {} : { 'x-user': user } }),
    async close() {
      await closeServer(server);
      await logger.close({ timeoutMs: 300 });
    },
  };
}
