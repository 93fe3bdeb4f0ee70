export { type RunInput, type RunOptions, type RunOutput, run, version } from './run';
