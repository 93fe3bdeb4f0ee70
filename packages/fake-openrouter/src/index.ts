export { startFakeOpenRouter } from './fake-openrouter.js';
export type {
  AddGenerationOptions,
  BilledAdjustment,
  FakeCall,
  FakeFailedAttempt,
  FakeGeneration,
  FakeModelEndpoint,
  FakeOpenRouter,
  FakeOpenRouterOptions,
  FaultStep,
  PricedGenerationSpec,
  ResetOptions,
  ScriptOptions,
} from './types.js';
