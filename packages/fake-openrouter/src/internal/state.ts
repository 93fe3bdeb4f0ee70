import type {
  AddGenerationOptions,
  FakeCall,
  FakeGeneration,
  PricedGenerationSpec,
} from '../types.js';
import type { Responder } from './exchange.js';
import { FaultScripts } from './fault-scripts.js';
import { GenerationStore } from './generation-store.js';
import { buildGeneration } from './generations.js';
import { isJsonObject } from './http.js';
import { Ledger } from './ledger.js';
import { nonNegative, type ResolvedOptions } from './options.js';
import { type FakeContent, pricedGeneration } from './priced-generations.js';
import { createSleeper, type Sleeper } from './timers.js';

/** Everything one fake holds, shared by its routes and its public handle. */
export interface FakeState {
  options: ResolvedOptions;
  calls: FakeCall[];
  store: GenerationStore;
  scripts: FaultScripts;
  sleeper: Sleeper;
  responder: Responder;
  /** What the fake billed: every finished generation, with test adjustments. */
  ledger: Ledger;
  /** When the analytics queries of the current rate-limit window came. */
  analyticsQueryTimes: number[];
  addGeneration(fields?: Partial<FakeGeneration>, options?: AddGenerationOptions): FakeGeneration;
  /** Stored `/generation/content` of priced generations, by id. */
  contents: Map<string, FakeContent>;
  addPricedGeneration(spec?: PricedGenerationSpec, options?: AddGenerationOptions): FakeGeneration;
}

export function createState(options: ResolvedOptions, responder: Responder): FakeState {
  const store = new GenerationStore();
  const contents = new Map<string, FakeContent>();
  return {
    contents,
    options,
    calls: [],
    store,
    scripts: new FaultScripts(),
    sleeper: createSleeper(),
    responder,
    ledger: new Ledger(store),
    analyticsQueryTimes: [],
    addGeneration(fields = {}, addOptions = {}) {
      if (!isJsonObject(fields)) throw new TypeError('addGeneration fields must be an object');
      if (fields.id !== undefined && (typeof fields.id !== 'string' || fields.id === '')) {
        throw new TypeError('addGeneration: id must be a non-empty string');
      }
      const readyInMs = nonNegative('readyInMs', addOptions.readyInMs, options.statsDelayMs);
      const generation = buildGeneration(fields);
      store.put(generation, Date.now() + readyInMs);
      return generation;
    },
    addPricedGeneration(spec = {}, addOptions = {}) {
      if (!isJsonObject(spec)) throw new TypeError('addPricedGeneration spec must be an object');
      const { fields, content } = pricedGeneration(spec);
      const generation = this.addGeneration(fields, addOptions);
      contents.set(generation.id, content);
      return generation;
    },
  };
}
