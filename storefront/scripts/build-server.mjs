// Bundles the storefront's server (server/main.ts) into build/main.js for production: plain
// JavaScript for Node, no TypeScript loader at run time. The workspace packages it uses
// (@shop/*, TypeScript sources) go into the bundle; npm packages stay imports.
import { build } from 'esbuild';

await build({
  entryPoints: [new URL('../server/main.ts', import.meta.url).pathname],
  outfile: new URL('../build/main.js', import.meta.url).pathname,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  plugins: [
    {
      name: 'external-npm-packages',
      setup(b) {
        // Bare imports that are not workspace packages resolve from node_modules at run time.
        b.onResolve({ filter: /^[^./]/ }, (args) =>
          args.path.startsWith('@shop/') || args.path.startsWith('node:')
            ? undefined
            : { path: args.path, external: true },
        );
      },
    },
  ],
  logLevel: 'warning',
});
console.log('built build/main.js');
