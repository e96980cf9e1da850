import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import path from 'node:path';
import type { AppService } from './app-services.ts';

const root = path.resolve(import.meta.dirname, '../..');

/**
 * Production builds through turbo (`npm run build`): every application workspace's `build`
 * script (gateway, subgraphs, relays, workers, migrate and seed: `shop-build`, esbuild) and the
 * storefront's. turbo takes unchanged ones from its cache, so a second run costs about a second.
 * `filters` limits it to some workspaces (turbo `--filter`). The GraphQL types, route types and
 * Prisma clients must be generated first (`npm run generate`): builds bundle the clients.
 */
export function turboBuild(options: { filters?: string[]; quiet?: boolean } = {}): Promise<void> {
  return oneBuildAtATime(() => runTurbo(options));
}

const BUILD_LOCK = path.join(root, '.stack', 'build.lock');

/** Whether the process holding the lock is gone (a crashed build leaves its lock behind). */
function lockHolderGone(): boolean {
  try {
    const pid = Number(readFileSync(path.join(BUILD_LOCK, 'pid'), 'utf8'));
    process.kill(pid, 0);
    return false;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return true;
    // No pid yet: the holder is between taking the lock and writing it, unless long gone.
    try {
      return Date.now() - statSync(BUILD_LOCK).mtimeMs > 60_000;
    } catch {
      return false; // released meanwhile
    }
  }
}

/**
 * turbo builds of this checkout run one at a time, across processes: the test command runs the
 * browser tests' storefront build beside the integration tests' whole build, and two turbo
 * processes building (or restoring from cache) one workspace at once remove each other's
 * output (seen in CI: react-router's build failing with mkdir ENOENT in storefront/build).
 */
async function oneBuildAtATime<T>(work: () => Promise<T>): Promise<T> {
  mkdirSync(path.dirname(BUILD_LOCK), { recursive: true });
  for (;;) {
    try {
      mkdirSync(BUILD_LOCK);
      writeFileSync(path.join(BUILD_LOCK, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (lockHolderGone()) rmSync(BUILD_LOCK, { recursive: true, force: true });
      else await delay(250);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(BUILD_LOCK, { recursive: true, force: true });
  }
}

function runTurbo(options: { filters?: string[]; quiet?: boolean }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      path.join(root, 'node_modules/.bin/turbo'),
      [
        'run',
        'build',
        ...(options.filters ?? []).map((filter) => `--filter=${filter}`),
        `--output-logs=${options.quiet ? 'errors-only' : 'new-only'}`,
      ],
      {
        cwd: root,
        env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' },
        stdio: options.quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit',
      },
    );
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`build failed (turbo exit ${code})`)),
    );
  });
}

/** The storefront's production build only (React Router's bundles, then its server). */
export const buildStorefront = (options: { quiet?: boolean } = {}) =>
  turboBuild({ ...options, filters: ['storefront'] });

/**
 * Fails with the services whose built program is missing after a build: a workspace without a
 * `build` script (`shop-build`) in its package.json would otherwise start as "module not found".
 */
export function assertBuilt(services: readonly AppService[]): void {
  const missing = services.filter((s) => !existsSync(path.join(root, s.built)));
  if (missing.length)
    throw new Error(
      `not built: ${missing.map((s) => `${s.built} (${s.name})`).join(', ')}; does its workspace's package.json have a "build" script (shop-build)?`,
    );
}
