export type { AppOptions, ExampleApp } from './app.ts';
export { createApp } from './app.ts';
export type { RecordListener } from './record-store.ts';
export { RecordStore } from './record-store.ts';
export type { RunningServer, StartServerOptions } from './start.ts';
export { startServer } from './start.ts';
