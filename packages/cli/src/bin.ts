#!/usr/bin/env node
import { run } from './run';

const controller = new AbortController();
let interrupted = false;
process.on('SIGINT', () => {
  // A second Ctrl-C leaves at once.
  if (interrupted) process.exit(130);
  interrupted = true;
  controller.abort(new Error('interrupted'));
});

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
process.exitCode = interrupted ? 130 : code;
