// TypeScript 7, the workspace's `typescript` (its native `tsc` runs every `typecheck`), ships no
// compiler API. tsup calls that API for the declaration build, so tsup gets its own TypeScript 6
// (the compatibility package of the same release) in place of the workspace's peer.
const tsupTypeScript = 'npm:@typescript/typescript6@6.0.2';

module.exports = {
  hooks: {
    readPackage(manifest) {
      if (manifest.name === 'tsup') {
        delete manifest.peerDependencies?.typescript;
        delete manifest.peerDependenciesMeta?.typescript;
        manifest.dependencies = { ...manifest.dependencies, typescript: tsupTypeScript };
      }
      return manifest;
    },
  },
};
