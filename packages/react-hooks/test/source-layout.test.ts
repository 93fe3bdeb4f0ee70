import { fileURLToPath } from 'node:url';
import { describeSourceLayout } from '@genmeta/fixture-source-layout';

// The layout rules every package keeps (fixtures/source-layout): no import circles, no imports
// of missing files, at most 20 source files directly in a folder, none over 300 lines.
await describeSourceLayout(
  '@genmeta/react-hooks',
  fileURLToPath(new URL('../src/', import.meta.url)),
);
