#!/usr/bin/env node
import { startFakeOpenRouter } from './fake-openrouter.js';
import { parseBinArguments, usage } from './internal/bin-arguments.js';

const parsed = parseBinArguments(process.argv.slice(2));
if (parsed.kind === 'help') {
  process.stdout.write(usage);
} else if (parsed.kind === 'error') {
  process.stderr.write(`genmeta-fake-openrouter: ${parsed.message}\n\n${usage}`);
  process.exitCode = 2;
} else {
  try {
    const fake = await startFakeOpenRouter(parsed.options);
    process.stdout.write(`OPENROUTER_BASE_URL=${fake.url}\nOPENROUTER_API_KEY=${fake.apiKey}\n`);
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      fake.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  } catch (error) {
    process.stderr.write(
      `genmeta-fake-openrouter: could not start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  }
}
