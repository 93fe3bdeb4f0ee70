export { startFakeOpenRouter } from './fake-openrouter.js';
export type {
  AddGenerationOptions,
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
