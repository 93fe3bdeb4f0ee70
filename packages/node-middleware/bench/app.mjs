// The app under test, in its own process. MODE=plain: a bare Express app. MODE=genmeta: the same
// app with costLogger, each request tracking the next id of IDS_FILE (a JSON array), unless
// TRACK=0. SINK=none replaces the stdout sink by a no-op callback.
// Prints `listening <port>` on stderr. Records go to stdout (the bench discards it).
import { readFileSync } from 'node:fs';
import express from 'express';
import { costLogger, trackGeneration } from '../dist/index.js';

const mode = process.env.MODE ?? 'plain';
const ids = JSON.parse(readFileSync(process.env.IDS_FILE, 'utf8'));
let next = 0;

const app = express();
const logger =
  mode === 'genmeta'
    ? costLogger({
        clientOptions: { baseUrl: process.env.FAKE_URL, apiKey: process.env.FAKE_KEY },
        ...(process.env.SINK === 'none' ? { onRecord: () => undefined } : {}),
      })
    : undefined;
if (logger) app.use(logger);

app.get('/', (_request, response) => {
  if (logger && process.env.TRACK !== '0') {
    trackGeneration(ids[next % ids.length]);
    next += 1;
  }
  response.json({ ok: true, at: Date.now() });
});

// Control routes for the bench (not measured).
app.get('/__settle', async (_request, response) => {
  await logger?.flush();
  for (let round = 0; round < 3; round += 1) {
    globalThis.gc?.();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const cpu = process.cpuUsage();
  response.json({
    heapUsed: process.memoryUsage().heapUsed,
    tracked: next,
    cpuMicroseconds: cpu.user + cpu.system,
  });
});

const server = app.listen(0, '127.0.0.1', () => {
  process.stderr.write(`listening ${server.address().port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
