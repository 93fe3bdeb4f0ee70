#!/usr/bin/env node
// The `genmeta` bin, built as CommonJS: Node starts a CommonJS file as fast as `node -e 0`, while
// an ES module entry first pays several milliseconds for the module loader. Help, version and
// usage errors are answered here, from argv alone; every command goes on to the ES module bin,
// which runs `run()` with the client.
import { pathToFileURL } from 'node:url';
import { answerWithoutClient } from './commands/answer-without-client.js';
import { oneLine } from './shared/text/terminal-text.js';

const parsed = answerWithoutClient(process.argv.slice(2), process.env);
if ('answer' in parsed) {
  const { answer } = parsed;
  if (answer.stdout !== undefined) process.stdout.write(answer.stdout);
  if (answer.stderr !== undefined) process.stderr.write(answer.stderr);
  process.exitCode = answer.code;
} else {
  const bin = pathToFileURL(`${__dirname}/bin.js`).href;
  import(bin).catch((error: unknown) => {
    process.stderr.write(
      `genmeta: internal error: ${oneLine(error instanceof Error ? error.message : String(error))}\n`,
    );
    process.exitCode = 1;
  });
}
