// The store interfaces genmeta's adapters read and write, defined once in @genmeta/core.
export type { GenerationCache } from '@genmeta/core';
export type { GenerationRegistry, SpendEntry, SpendStore } from '@genmeta/core/engine';
