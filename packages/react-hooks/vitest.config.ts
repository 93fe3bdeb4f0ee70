import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared.ts';

const local = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const react18 = (path: string) => local(`../../fixtures/react18/node_modules/${path}`);

/**
 * Every test runs twice: on React 19 (the devDependency) and on React 18.3, which the private
 * workspace package fixtures/react18 installs with its own react-dom. The react18 project points `react` and
 * `react-dom` (and their subpaths) at those copies, and loads @testing-library/react from its ESM build,
 * inlined (as @tanstack/react-query), so that their own imports of react and react-dom resolve
 * through the same aliases.
 */
export default mergeConfig(
  sharedTestConfig,
  defineConfig({
    test: {
      projects: [
        { extends: true, test: { name: 'react19' } },
        {
          extends: true,
          resolve: {
            alias: [
              { find: /^react$/, replacement: react18('react/index.js') },
              { find: /^react\/(.*)$/, replacement: react18('react/$1') },
              { find: /^react-dom$/, replacement: react18('react-dom/index.js') },
              { find: /^react-dom\/(.*)$/, replacement: react18('react-dom/$1') },
              {
                find: /^@testing-library\/react$/,
                replacement: local(
                  './node_modules/@testing-library/react/dist/@testing-library/react.esm.js',
                ),
              },
            ],
          },
          test: {
            name: 'react18',
            typecheck: { enabled: false },
            server: { deps: { inline: [/@testing-library\/react/, /@tanstack\/react-query/] } },
          },
        },
      ],
    },
  }),
);
