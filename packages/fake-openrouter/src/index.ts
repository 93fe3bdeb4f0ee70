export { startFakeOpenRouter } from './fake-openrouter.js';
export type {
  AddGenerationOptions,
  FakeCall,
  FakeGeneration,
  FakeOpenRouter,
  FakeOpenRouterOptions,
  FaultStep,
  ResetOptions,
  ScriptOptions,
} from './types.js';
