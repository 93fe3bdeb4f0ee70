// Runs a bundle in Vercel's edge-runtime the way Next.js runs edge routes: a global
// AsyncLocalStorage, and of Node's modules only these five, some without every export.

import * as assert from 'node:assert';
import * as asyncHooks from 'node:async_hooks';
import * as buffer from 'node:buffer';
import * as events from 'node:events';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as util from 'node:util';
import { EdgeRuntime, runServer } from 'edge-runtime';

const pick = (module, names) => Object.fromEntries(names.map((name) => [name, module[name]]));
const nodeModules = {
  'node:async_hooks': pick(asyncHooks, ['AsyncLocalStorage', 'AsyncResource']),
  'node:assert': assert.default,
  'node:buffer': pick(buffer, [
    'constants',
    'kMaxLength',
    'kStringMaxLength',
    'Buffer',
    'SlowBuffer',
  ]),
  'node:events': pick(events, [
    'EventEmitter',
    'captureRejectionSymbol',
    'defaultMaxListeners',
    'errorMonitor',
    'listenerCount',
    'on',
    'once',
  ]),
  'node:util': pick(util, ['_extend', 'callbackify', 'format', 'inherits', 'promisify', 'types']),
};

const [bundlePath] = process.argv.slice(2);
const runtime = new EdgeRuntime({
  initialCode: readFileSync(bundlePath, 'utf8'),
  extend: (context) => {
    context.AsyncLocalStorage = asyncHooks.AsyncLocalStorage;
    context.require = (id) => {
      const module = nodeModules[id] ?? nodeModules[`node:${id}`];
      if (module === undefined)
        throw new Error(`The edge runtime does not support Node.js '${id}' module`);
      return module;
    };
    return context;
  },
});
const server = await runServer({ runtime, host: '127.0.0.1', port: 0 });
const { version } = createRequire(import.meta.url)('edge-runtime/package.json');
console.log(JSON.stringify({ port: Number(new URL(server.url).port), version }));
process.on('SIGTERM', () => server.close().then(() => process.exit(0)));
