import type { CostComponent, CostExplanation, Generation } from '@genmeta/core';

/** One attempt OpenRouter made, as `genmeta explain` prints it. */
export interface ExplainedAttempt {
  provider: string | null;
  status: number | null;
  latencyMs: number | null;
}

/** One part of the cost in `--json`; `unknown` and `parts` appear only when they apply. */
export interface ComponentJson {
  name: string;
  quantity: number | null;
  unitUsd: number | null;
  usd: number | null;
  /** why the part is unknown (its `usd` is null) */
  unknown?: string;
  /** `byok_upstream` only: what the provider charged, part by part */
  parts?: ComponentJson[];
}

/** `genmeta explain --json`: one object per id. */
export interface ExplanationJson {
  id: string;
  model: string;
  provider: string | null;
  chargedUsd: number | null;
  expectedUsd: number | null;
  residualUsd: number | null;
  components: ComponentJson[];
  rules: string[];
  attempts: ExplainedAttempt[];
}

const numberOrNull = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;

/** Every attempt of `provider_responses`, in order. */
export function attemptsOf(generation: Generation): ExplainedAttempt[] {
  const attempts = Array.isArray(generation.provider_responses)
    ? generation.provider_responses
    : [];
  return attempts.map((attempt) => ({
    provider: typeof attempt?.provider_name === 'string' ? attempt.provider_name : null,
    status: numberOrNull(attempt?.status),
    latencyMs: numberOrNull(attempt?.latency),
  }));
}

function componentJson(component: CostComponent): ComponentJson {
  const json: ComponentJson = {
    name: component.name,
    quantity: component.quantity,
    unitUsd: component.unitUsd,
    usd: component.usd,
  };
  if (component.unknown !== undefined) json.unknown = component.unknown;
  if (component.parts !== undefined) json.parts = component.parts.map(componentJson);
  return json;
}

/** The `--json` object of one explanation. */
export function explanationJson(
  explanation: CostExplanation,
  generation: Generation,
): ExplanationJson {
  return {
    id: explanation.id,
    model: explanation.model,
    provider: explanation.provider,
    chargedUsd: explanation.chargedUsd,
    expectedUsd: explanation.expectedUsd,
    residualUsd: explanation.residualUsd,
    components: explanation.components.map(componentJson),
    rules: explanation.rules.map((rule) => rule.name),
    attempts: attemptsOf(generation),
  };
}
