import { startServer } from './start.ts';

// Human-readable lines go to stderr: stdout carries only the JSON cost records.
const say = (line: string) => process.stderr.write(`${line}\n`);

const rawPort = process.env.PORT ?? '3000';
const port = Number(rawPort);
if (!/^\d+$/.test(rawPort) || port > 65_535) {
  say(`PORT must be a number from 0 to 65535, got "${rawPort}".`);
  process.exit(2);
}

try {
  const server = await startServer({
    port,
    host: process.env.HOST || '127.0.0.1',
    apiKey: process.env.OPENROUTER_API_KEY,
    baseUrl: process.env.OPENROUTER_BASE_URL,
    app: {
      model: process.env.OPENROUTER_MODEL || undefined,
      redisUrl: process.env.REDIS_URL || undefined,
    },
  });
  if (server.mode === 'offline') {
    say('No OPENROUTER_API_KEY: using a fake OpenRouter in this process (offline, no cost).');
    say(`  fake OpenRouter at ${server.openRouterUrl}`);
  } else {
    say(`Using OpenRouter at ${server.openRouterUrl} with the key from OPENROUTER_API_KEY.`);
  }
  if (process.env.REDIS_URL) {
    // The URL may hold a password: name the variable, not its value.
    say('Sharing the generation cache and the proxy registry through Redis (REDIS_URL).');
  }
  say(`genmeta example listening on ${server.url}`);
  say(`Spend alerts of Linus's demo budget arrive at ${server.alerts.url}`);
  if (server.fake) {
    // The fake's keys are throwaway values, fine to print.
    const env = `OPENROUTER_BASE_URL=${server.openRouterUrl}`;
    const day = new Date().toISOString().slice(0, 10);
    say('Is that everything the fake billed? Save stdout (the records), then:');
    say(
      `  ${env} OPENROUTER_MANAGEMENT_KEY=${server.fake.managementKey} pnpm --filter @genmeta/example exec genmeta reconcile --date ${day} "$PWD/records.ndjson"`,
    );
    say('A call without the tracking fetch, which reconcile then finds:');
    say(
      `  ${env} OPENROUTER_API_KEY=${server.fake.apiKey} node apps/example/scripts/untracked-call.mjs`,
    );
  }
  say('Look a generation up from a terminal (each chat prints its own line):');
  say(`  ${server.cliCommand}`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: emitting pending cost records, then stopping.`);
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  say(`Could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
