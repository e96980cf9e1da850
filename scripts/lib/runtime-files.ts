/**
 * What the production image holds besides its npm packages: the one list of the files built
 * code needs at run time. The Dockerfile's build stage copies them out with
 * scripts/stage-runtime.ts, and the build test (test/production-build.int.test.ts) runs the
 * built gateway and a subgraph from a tree staged by the same code, so a file missing here fails
 * a test instead of a deployment.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '../..');

/** Workspace folders, from the root package.json's `workspaces` (`dir/*` globs expanded). */
export function workspaceDirs(root = repoRoot): string[] {
  const { workspaces } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    workspaces: string[];
  };
  return workspaces.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [pattern];
    const parent = pattern.slice(0, -2);
    return readdirSync(path.join(root, parent))
      .map((name) => `${parent}/${name}`)
      .filter((dir) => existsSync(path.join(root, dir, 'package.json')));
  });
}

/**
 * Workspaces with a production build (a `build` script): the applications and tools the image
 * runs. The image's npm install takes only these and what they depend on.
 */
export function runtimeWorkspaces(root = repoRoot): string[] {
  return workspaceDirs(root).filter((dir) => {
    const pkg = JSON.parse(readFileSync(path.join(root, dir, 'package.json'), 'utf8')) as {
      scripts?: Record<string, string>;
    };
    return Boolean(pkg.scripts?.build);
  });
}

function filesUnder(root: string, dir: string): string[] {
  const full = path.join(root, dir);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [dir];
  return readdirSync(full).flatMap((name) => filesUnder(root, `${dir}/${name}`));
}

export interface RuntimeFiles {
  /**
   * What the image's `npm install --omit=dev` reads: the root manifest, the lock, every
   * workspace's manifest (staged without devDependencies: see productionManifest).
   */
  manifests: string[];
  /** Built code and the files it reads, relative to the repository root. */
  app: string[];
}

export function runtimeFiles(root = repoRoot): RuntimeFiles {
  const manifests = [
    'package.json',
    'package-lock.json',
    // All of them, not only the runtime ones: npm reads the lock against the whole workspace set.
    ...workspaceDirs(root).map((dir) => `${dir}/package.json`),
  ];
  const app = [
    // Bundles and their source maps (`npm run build`), the storefront's build.
    ...runtimeWorkspaces(root).flatMap((dir) =>
      filesUnder(root, dir === 'storefront' ? `${dir}/build` : `${dir}/dist`),
    ),
    // The storefront's trusted documents (`npm run generate`): a production gateway runs only those.
    'storefront/trusted-documents.json',
    // Each subgraph serves its schema.graphql; the gateway composes the supergraph from them.
    ...workspaceDirs(root)
      .filter((dir) => dir.startsWith('subgraphs/'))
      .map((dir) => `${dir}/schema.graphql`),
    // `prisma migrate deploy` (migrate service): the CLI reads each service's config, schema and
    // migrations; the configs import the shared driver-adapter setup.
    'prisma/src/prisma-config.ts',
    ...readdirSync(path.join(root, 'prisma'))
      .filter((name) => existsSync(path.join(root, 'prisma', name, 'schema.prisma')))
      .flatMap((name) => [
        `prisma/${name}/prisma.config.ts`,
        `prisma/${name}/schema.prisma`,
        ...filesUnder(root, `prisma/${name}/migrations`),
      ]),
  ];
  return { manifests, app };
}

/**
 * A package.json without its devDependencies. `npm install --omit=dev` leaves out npm packages
 * that are devDependencies, but still installs a workspace package listed as one, with all its
 * dependencies (npm/cli#6670): every application lists @shop/build and most @shop/testing,
 * which would bring esbuild, vitest, embedded PostgreSQL and the rest into the image.
 */
export function productionManifest(text: string): string {
  const { devDependencies: _dev, ...manifest } = JSON.parse(text) as Record<string, unknown>;
  return JSON.stringify(manifest, null, 2) + '\n';
}

/**
 * Copies the runtime files into `dest`: `manifests/` (with `runtime-workspaces`, one workspace
 * folder a line, for the install's `--workspace` options) and `app/`. Fails when a runtime
 * workspace has not been built.
 */
export function stageRuntime(dest: string, root = repoRoot): RuntimeFiles {
  const files = runtimeFiles(root);
  const unbuilt = runtimeWorkspaces(root).filter(
    (dir) =>
      !files.app.some(
        (file) => file.startsWith(`${dir}/dist/`) || file.startsWith(`${dir}/build/`),
      ),
  );
  if (unbuilt.length) throw new Error(`not built (run npm run build): ${unbuilt.join(', ')}`);
  for (const [part, list] of [
    ['manifests', files.manifests],
    ['app', files.app],
  ] as const)
    for (const file of list) {
      const to = path.join(dest, part, file);
      mkdirSync(path.dirname(to), { recursive: true });
      if (part === 'manifests' && file.endsWith('package.json'))
        writeFileSync(to, productionManifest(readFileSync(path.join(root, file), 'utf8')));
      else copyFileSync(path.join(root, file), to);
    }
  writeFileSync(
    path.join(dest, 'manifests', 'runtime-workspaces'),
    runtimeWorkspaces(root).join('\n') + '\n',
  );
  return files;
}
