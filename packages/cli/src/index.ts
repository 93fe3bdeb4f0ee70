export { type RunInput, type RunOptions, type RunOutput, run, version } from './run.js';
export { type ExitCode, exitCodes } from './shared/exit-codes.js';
