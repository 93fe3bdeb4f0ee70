/**
 * Where @opentelemetry/api 1.x keeps its globals, the registered context manager included.
 * Reading it needs no import: without the API (or without a context manager) there is nothing
 * to capture and nothing is loaded.
 */
const OTEL_GLOBAL_KEY = Symbol.for('opentelemetry.js.api.1');

interface OtelGlobals {
  context?: { active?: () => unknown };
}

/** The active OpenTelemetry context, or undefined when no context manager is registered. */
export function activeOtelContext(): unknown {
  const globals = (globalThis as Record<symbol, OtelGlobals | undefined>)[OTEL_GLOBAL_KEY];
  const manager = globals?.context;
  if (manager === undefined) return undefined;
  try {
    return manager.active?.();
  } catch {
    return undefined;
  }
}
