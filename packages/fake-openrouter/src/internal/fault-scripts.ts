import type { FaultStep } from '../types.js';

interface Script {
  steps: FaultStep[];
  repeat: boolean;
  next: number;
}

const stepTypes = new Set(['status', 'html', 'empty', 'malformed', 'body', 'drop', 'slow']);

function assertStep(step: FaultStep, index: number): void {
  const where = `script step ${index}`;
  if (typeof step !== 'object' || step === null || !stepTypes.has(step.type)) {
    throw new TypeError(
      `${where}: unknown type ${JSON.stringify((step as { type?: unknown })?.type)}`,
    );
  }
  if ('status' in step && step.status !== undefined) {
    if (!Number.isInteger(step.status) || step.status < 200 || step.status > 599) {
      throw new RangeError(`${where}: status must be an integer from 200 to 599`);
    }
  }
  if (step.type === 'slow' && !(Number.isFinite(step.delayMs) && step.delayMs >= 0)) {
    throw new RangeError(`${where}: delayMs must be a non-negative number`);
  }
  if (step.type === 'body' && typeof step.body !== 'string') {
    throw new TypeError(`${where}: body must be a string`);
  }
}

/** Scripted answers per generation id (or `'*'` for every id without its own script). */
export class FaultScripts {
  readonly #scripts = new Map<string, Script>();

  set(id: string, steps: FaultStep[], repeat: boolean): void {
    if (typeof id !== 'string' || id === '')
      throw new TypeError('script id must be a non-empty string');
    if (!Array.isArray(steps)) throw new TypeError('script steps must be an array');
    steps.forEach(assertStep);
    if (steps.length === 0) {
      this.#scripts.delete(id);
      return;
    }
    this.#scripts.set(id, { steps: steps.map((step) => ({ ...step })), repeat, next: 0 });
  }

  /** The next step for this id, consuming it; undefined means answer normally. */
  take(id: string): FaultStep | undefined {
    return this.#takeFrom(id) ?? this.#takeFrom('*');
  }

  clear(): void {
    this.#scripts.clear();
  }

  #takeFrom(key: string): FaultStep | undefined {
    const script = this.#scripts.get(key);
    if (!script) return undefined;
    const step = script.steps[script.next];
    script.next += 1;
    if (script.next >= script.steps.length) {
      if (script.repeat) script.next = 0;
      else this.#scripts.delete(key);
    }
    return step;
  }
}
