export { type ExitCode, exitCodes } from './internal/exit-codes.js';
export { type RunInput, type RunOptions, type RunOutput, run, version } from './run.js';
