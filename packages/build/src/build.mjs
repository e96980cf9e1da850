/**
 * Production build of one application workspace. Each entry `src/<path>.ts` becomes
 * `dist/<path>.js` (another file of the workspace, `scripts/x.ts`, `dist/scripts/x.js`): an
 * ES module for Node 20 with a source map, run with plain `node`.
 *
 * Why esbuild bundles rather than `tsc` emitting a tree: the workspace packages (`@shop/*`)
 * export their TypeScript sources (`"exports": "./src/index.ts"`) and import each other with
 * `.ts` extensions, so plain `node` cannot load them, and compiling every package to JavaScript
 * would need a second set of exports per package. A bundle holds the application's own code,
 * every `@shop/*` package it uses and the generated Prisma clients (TypeScript too), while npm
 * packages stay `import`s resolved from node_modules at run time: native addons, WebAssembly,
 * CommonJS packages and the files packages read next to themselves keep working as in
 * development, and a production install (`npm ci --omit=dev`) provides them. esbuild only
 * strips types: `npm run typecheck` is the type check.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { build } from 'esbuild';
import semver from 'semver';

const SOURCE = /\.(?:[cm]?ts|tsx|[cm]?js)$/;
/** @type {Record<string, import('esbuild').Loader>} */
const LOADERS = { ts: 'ts', mts: 'ts', cts: 'ts', tsx: 'tsx', js: 'js', mjs: 'js', cjs: 'js' };

/**
 * Code that finds files next to itself (`new URL('../schema.graphql', import.meta.url)`,
 * `createRequire(import.meta.url)`) keeps finding them from the bundle: in every workspace
 * source file, `import.meta.url` becomes that source file's URL, computed from the bundle's own
 * URL at run time, so the built tree can move (into an image) with the files it reads.
 * `import.meta.dirname` and `filename` would need the same: the build refuses them rather than
 * ship a path into dist/.
 * @param {string} outfile
 * @returns {import('esbuild').Plugin}
 */
function sourceRelativeImportMeta(outfile) {
  return {
    name: 'source-relative-import-meta',
    setup(b) {
      b.onLoad({ filter: SOURCE }, async (args) => {
        if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
        const contents = await readFile(args.path, 'utf8');
        const loader = LOADERS[path.extname(args.path).slice(1)];
        if (!contents.includes('import.meta')) return { contents, loader };
        const other = /import\.meta\.(dirname|filename)\b/.exec(contents);
        if (other)
          return {
            errors: [
              {
                text: `import.meta.${other[1]} would name the bundle's folder: use new URL(..., import.meta.url)`,
              },
            ],
          };
        const relative = path
          .relative(path.dirname(outfile), args.path)
          .split(path.sep)
          .map(encodeURIComponent)
          .join('/');
        const sourceUrl = `(new URL(${JSON.stringify(relative)}, import.meta.url).href)`;
        return { contents: contents.replace(/\bimport\.meta\.url\b/g, sourceUrl), loader };
      });
    },
  };
}

/** The folder node would load package `name` from, looking up from `dir`, or undefined. */
function packageDir(name, dir) {
  for (let at = dir; ; at = path.dirname(at)) {
    const candidate = path.join(at, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return realpathSync(candidate);
    if (path.dirname(at) === at) return undefined;
  }
}

const BUILTIN = new Set(builtinModules);

/** @param {string} dir */
const versionIn = (dir) => JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).version;

/** The range the package owning `file` declares for dependency `name`, if any. */
function declaredRange(file, name) {
  for (let at = path.dirname(file); path.dirname(at) !== at; at = path.dirname(at)) {
    const manifest = path.join(at, 'package.json');
    if (!existsSync(manifest)) continue;
    const pkg = JSON.parse(readFileSync(manifest, 'utf8'));
    return (
      pkg.dependencies?.[name] ?? pkg.optionalDependencies?.[name] ?? pkg.peerDependencies?.[name]
    );
  }
  return undefined;
}

/**
 * npm packages stay imports; `@shop/*` workspace packages go into the bundle. A bundled file's
 * imports resolve from the bundle's folder at run time, no longer from the file's own folder:
 * when npm gave the importing package a version of its own (packages/auth/node_modules/jose 6
 * while the root holds jose 5 for a dev tool), the bundle would load the other one. The build
 * fails when the bundle's copy is not one the importing package accepts, naming what the
 * application must declare.
 * @param {string} outdir
 * @returns {import('esbuild').Plugin}
 */
function externalNpmPackages(outdir) {
  return {
    name: 'external-npm-packages',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith('@shop/')) return undefined;
        const external = { path: args.path, external: true };
        if (args.path.startsWith('node:') || BUILTIN.has(args.path.split('/')[0] ?? ''))
          return external;
        const parts = args.path.split('/');
        const name = (args.path.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
        const fromSource = packageDir(name, args.resolveDir);
        const fromBundle = packageDir(name, outdir);
        if (!fromSource)
          return { errors: [{ text: `${name} is not installed (imported by ${args.importer})` }] };
        if (fromSource === fromBundle) return external;
        const range = declaredRange(args.importer, name);
        const found = fromBundle ? versionIn(fromBundle) : undefined;
        if (range && found && semver.satisfies(found, range)) return external;
        const importer = path.relative(process.cwd(), args.importer);
        return {
          errors: [
            {
              text:
                `${name}: ${importer} takes ${range ?? versionIn(fromSource)}, the bundle would load ` +
                `${found ?? 'nothing'}: declare ${name}@${range ?? versionIn(fromSource)} in this workspace's package.json`,
            },
          ],
        };
      });
    },
  };
}

/**
 * Builds `entry`, a file of the workspace, into the workspace's dist/.
 * @param {string} entry
 * @param {string} [cwd] the workspace folder
 * @returns {Promise<string>} the output file, relative to `cwd`
 */
export async function buildEntry(entry, cwd = process.cwd()) {
  const source = path.resolve(cwd, entry);
  const inWorkspace = path.relative(cwd, source);
  if (inWorkspace.startsWith('..')) throw new Error(`${entry}: not a file of this workspace`);
  // src/relay/main.ts -> dist/relay/main.js; scripts/migrate.ts -> dist/scripts/migrate.js
  const inDist = inWorkspace.replace(/^src\//, '').replace(/\.[cm]?tsx?$/, '.js');
  const outfile = path.join(cwd, 'dist', inDist);
  await build({
    entryPoints: [source],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    // Class and function names stay as in the source (logs and errors name them).
    keepNames: true,
    plugins: [externalNpmPackages(path.dirname(outfile)), sourceRelativeImportMeta(outfile)],
    logLevel: 'warning',
  });
  return path.relative(cwd, outfile);
}
