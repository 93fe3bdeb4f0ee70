export { startFakeOpenRouter } from './fake-openrouter.js';
export type {
  AddGenerationOptions,
  BilledAdjustment,
  FakeCall,
  FakeGeneration,
  FakeOpenRouter,
  FakeOpenRouterOptions,
  FaultStep,
  ResetOptions,
  ScriptOptions,
} from './types.js';
