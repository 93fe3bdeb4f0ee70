#!/usr/bin/env node
import { startFakeOpenRouter } from './fake-openrouter.js';
import { parseBinArguments, usage } from './internal/bin-arguments.js';
import type { FakeOpenRouter } from './types.js';

const parsed = parseBinArguments(process.argv.slice(2));
if (parsed.kind === 'help') {
  process.stdout.write(usage);
} else if (parsed.kind === 'error') {
  process.stderr.write(`genmeta-fake-openrouter: ${parsed.message}\n\n${usage}`);
  process.exitCode = 2;
} else {
  let fake: FakeOpenRouter | undefined;
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    (fake?.close() ?? Promise.resolve()).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  // Listen for signals before printing: a supervisor may signal as soon as it reads the URL.
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    fake = await startFakeOpenRouter(parsed.options);
    if (stopping) {
      await fake.close();
    } else {
      process.stdout.write(
        `OPENROUTER_BASE_URL=${fake.url}\nOPENROUTER_API_KEY=${fake.apiKey}\nOPENROUTER_MANAGEMENT_KEY=${fake.managementKey}\n`,
      );
    }
  } catch (error) {
    process.stderr.write(
      `genmeta-fake-openrouter: could not start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  }
}
