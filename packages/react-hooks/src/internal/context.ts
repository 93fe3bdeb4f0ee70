import type { GenmetaClient } from '@genmeta/core';
import { createContext } from 'react';

/** null: no provider above, use the lazily created default client. */
export const GenmetaContext = createContext<GenmetaClient | null>(null);
