#!/usr/bin/env node
import { run } from './run.js';
import { exitCodes } from './shared/exit-codes.js';

const controller = new AbortController();
// Results are printed as they resolve, so a signal keeps what was printed; run() then prints
// what else had finished (and cost's summary so far) and resolves.
const signalExitCodes = { SIGINT: exitCodes.interrupted, SIGTERM: exitCodes.terminated } as const;
let received: keyof typeof signalExitCodes | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    // A second signal leaves at once.
    if (received) process.exit(signalExitCodes[signal]);
    received = signal;
    controller.abort(new Error(signal === 'SIGINT' ? 'interrupted' : 'terminated'));
  });
}

// `genmeta get ... | head -1`: the reader went away; stop quietly instead of crashing.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const code = await run({
  argv: process.argv.slice(2),
  env: process.env,
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  signal: controller.signal,
});
process.exitCode = received ? signalExitCodes[received] : code;
